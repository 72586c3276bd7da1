"""Scheduling an exercise run into one of a cohort's sessions (coordinators).

The run's planned phases follow its session: the agenda lays them out from the session's start.
A hard conflict (its lead booked elsewhere) refuses the form with the reasons; a soft one (the
run is longer than the session) is saved and shown as a warning on the agenda.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.exceptions import ApplicationError
from exercises import selectors, services
from exercises.conflicts import run_warnings
from exercises.forms.authoring import ExerciseRunScheduleForm
from exercises.models import ExerciseRun
from trainings.views.planning import ConflictFormMixin, PlanningView, agenda_url, show_warnings


class ExerciseRunCreateView(PlanningView, ConflictFormMixin, FormView):
    template_name = "exercises/run_form.html"
    form_class = ExerciseRunScheduleForm
    extra_context = {"section": "cohorts"}

    def load(self) -> None:
        self.cohort = self.visible_cohort(self.kwargs["slug"])
        self.require("exercises.add_exerciserun", self.cohort)

    def get_initial(self) -> dict[str, Any]:
        session = self.request.GET.get("session", "")
        return {"session": int(session)} if session.isdigit() else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.cohort}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, **kwargs)

    def form_valid(self, form: ExerciseRunScheduleForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            run = services.exercise_run_create(
                exercise=data["exercise"],
                cohort=self.cohort,
                session=data["session"],
                lead_facilitator=data["lead_facilitator"],
            )
        except (ValidationError, ApplicationError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("“%(exercise)s” is planned.") % {"exercise": run.exercise.name})
        show_warnings(self.request, run_warnings(run=run))
        return HttpResponseRedirect(agenda_url(self.cohort, run.session))


class ExerciseRunUpdateView(PlanningView, ConflictFormMixin, FormView):
    """Move a run to another session of its cohort, or take it out of one; change its lead."""

    template_name = "exercises/run_form.html"
    form_class = ExerciseRunScheduleForm
    extra_context = {"section": "cohorts"}

    def load(self) -> None:
        run = selectors.exercise_run_get(user=self.request.user, pk=self.kwargs["pk"])
        if run is None:
            raise Http404
        self.require("exercises.change_exerciserun", run)
        self.run: ExerciseRun = run
        self.cohort = run.cohort

    def get_initial(self) -> dict[str, Any]:
        return {"session": self.run.session_id, "lead_facilitator": self.run.lead_facilitator_id}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.cohort, "run": self.run}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, run=self.run, **kwargs)

    def form_valid(self, form: ExerciseRunScheduleForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            run = services.exercise_run_update(
                run=self.run, data={"session": data["session"], "lead_facilitator": data["lead_facilitator"]}
            )
        except (ValidationError, ApplicationError) as error:
            self.run.refresh_from_db()  # the service set the refused values on it
            return self.refuse(form, error)
        messages.success(self.request, _("“%(exercise)s” is saved.") % {"exercise": run.exercise.name})
        show_warnings(self.request, run_warnings(run=run))
        return HttpResponseRedirect(agenda_url(self.cohort, run.session))
