"""Scheduling an exercise run into one of a cohort's sessions (coordinators).

The run's planned phases follow its session: the agenda lays them out from the session's start.
A hard conflict (its lead booked elsewhere) refuses the form with the reasons; a soft one (the
run is longer than the session) is saved and shown as a warning on the agenda.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises import selectors, services
from exercises.conflicts import run_warnings
from exercises.forms.runs import ExerciseRunScheduleForm, RunPhasePlacementForm
from exercises.models import ExerciseRun, Phase, RunPhase
from exercises.timeline import phases_fill
from trainings.models import Cohort, Session
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


class RunPhasePlanView(ObjectPermissionMixin, ConflictFormMixin, FormView):
    """Place each phase of a run in one of its cohort's sessions, with its start (``/runs/<pk>/plan/``).

    ``?fill=1`` proposes a placement: phases end to end from the run's session, moving on to the next
    free session when one is full. Nothing is saved until the form is sent.
    """

    template_name = "exercises/run_plan.html"
    form_class = RunPhasePlacementForm
    extra_context = {"section": "cohorts"}
    permission_required = "exercises.change_exerciserun"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.exercise_run_queryset(user=self.request.user)

    def phases(self) -> list[Phase]:
        return list(self.object.exercise.phases.all())

    def sessions(self) -> list[Session]:
        """The cohort's scheduled sessions that hold no other run (and those this run uses)."""
        run = self.object
        others = RunPhase.objects.filter(session__isnull=False).exclude(run=run).values("session_id")
        taken = ExerciseRun.objects.filter(session__isnull=False).exclude(pk=run.pk).values("session_id")
        return list(
            Session.objects.filter(cohort_id=run.cohort_id)
            .filter(Q(status=Session.Status.SCHEDULED) | Q(pk=run.session_id))
            .exclude(pk__in=others)
            .exclude(pk__in=taken)
            .select_related("cohort")
            .order_by("starts_at", "pk")
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "run": self.object,
            "phases": self.phases(),
            "sessions": self.sessions(),
        }

    def get_initial(self) -> dict[str, Any]:
        tz = self.object.cohort.tz
        if self.request.GET.get("fill"):
            sessions = self.sessions()
            if self.object.session_id is not None:
                sessions = [s for s in sessions if s.starts_at >= self.object.session.starts_at] or sessions
            rows = phases_fill(phases=self.phases(), sessions=sessions)
        else:
            parts = selectors.exercise_run_parts(run=self.object)
            rows = [(planned.phase, part.session, planned.starts_at) for part in parts for planned in part.phases]
        initial: dict[str, Any] = {}
        for phase, session, start in rows:
            initial[f"phase_{phase.pk}_session"] = session.pk
            initial[f"phase_{phase.pk}_start"] = start.astimezone(tz).time()
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        run = self.object
        return super().get_context_data(
            run=run, cohort=run.cohort, parts=selectors.exercise_run_parts(run=run), **kwargs
        )

    def form_valid(self, form: RunPhasePlacementForm) -> HttpResponse:
        run = self.object
        try:
            run = services.run_phases_place(run=run, placements=form.placements(), by=acting_user(self.request))
        except ApplicationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The phases of “%(exercise)s” are placed.") % {"exercise": run.exercise.name})
        show_warnings(self.request, run_warnings(run=run))
        return HttpResponseRedirect(run.get_absolute_url())
