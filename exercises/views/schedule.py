"""Scheduling an exercise run into one of a cohort's sessions (coordinators).

The run's planned phases follow its session: the agenda lays them out from the session's start.
A hard conflict (its lead booked elsewhere) refuses the form with the reasons; a soft one (the
run is longer than the session) is saved and shown as a warning on the agenda.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises import selectors, services
from exercises.conflicts import run_warnings
from exercises.forms.runs import ExerciseRunScheduleForm
from exercises.models import ExerciseRun
from trainings.models import Cohort
from trainings.views.planning import ConflictFormMixin, agenda_url, show_warnings


class ExerciseRunCreateView(ObjectPermissionMixin, ConflictFormMixin, FormView):
    """Plan a run of an exercise for the cohort (``/cohorts/<slug>/runs/new/``)."""

    template_name = "exercises/run_form.html"
    form_class = ExerciseRunScheduleForm
    extra_context = {"section": "cohorts"}
    permission_required = "exercises.add_exerciserun"
    lookup_field = lookup_url_kwarg = "slug"

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user).select_related("course")

    def get_initial(self) -> dict[str, Any]:
        session = self.request.GET.get("session", "")
        return {"session": int(session)} if session.isdigit() else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.object, **kwargs)

    def form_valid(self, form: ExerciseRunScheduleForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            run = services.exercise_run_create(
                exercise=data["exercise"],
                cohort=self.object,
                session=data["session"],
                lead_facilitator=data["lead_facilitator"],
            )
        except ApplicationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("“%(exercise)s” is planned.") % {"exercise": run.exercise.name})
        show_warnings(self.request, run_warnings(run=run))
        return HttpResponseRedirect(agenda_url(self.object, run.session))


class ExerciseRunUpdateView(ObjectPermissionMixin, ConflictFormMixin, FormView):
    """Move a run to another session of its cohort, or take it out of one; change its lead."""

    template_name = "exercises/run_form.html"
    form_class = ExerciseRunScheduleForm
    extra_context = {"section": "cohorts"}
    permission_required = "exercises.change_exerciserun"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.exercise_run_queryset(user=self.request.user)

    def get_initial(self) -> dict[str, Any]:
        return {"session": self.object.session_id, "lead_facilitator": self.object.lead_facilitator_id}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.object.cohort, "run": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.object.cohort, run=self.object, **kwargs)

    def form_valid(self, form: ExerciseRunScheduleForm) -> HttpResponse:
        data = form.cleaned_data
        run = self.object
        try:
            run = services.exercise_run_update(
                run=run, data={"session": data["session"], "lead_facilitator": data["lead_facilitator"]}
            )
        except ApplicationError as error:
            run.refresh_from_db()  # the service set the refused values on it
            return self.refuse(form, error)
        messages.success(self.request, _("“%(exercise)s” is saved.") % {"exercise": run.exercise.name})
        show_warnings(self.request, run_warnings(run=run))
        return HttpResponseRedirect(agenda_url(run.cohort, run.session))
