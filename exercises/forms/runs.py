"""Scheduling an exercise run into one of its cohort's sessions, led by one of its facilitators."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from exercises.conflicts import STARTED_STATUSES
from exercises.models import CourseExercise, Exercise, ExerciseRun
from trainings.models import Cohort, Session


class ExerciseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if getattr(obj, "in_course", False):
            return _("%(name)s (this course)") % {"name": obj.name}
        return obj.name


class SessionChoiceField(forms.ModelChoiceField):
    """Sessions said in their cohort's wall-clock time."""

    def label_from_instance(self, obj: Any) -> str:
        tz = obj.cohort.tz
        start, end = obj.starts_at.astimezone(tz), obj.ends_at.astimezone(tz)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} · {obj.title}"


class ExerciseRunScheduleForm(forms.Form):
    """Which exercise, in which session, led by whom; exercise_run_create/update judge the rules."""

    exercise = ExerciseChoiceField(label=_("Exercise"), queryset=Exercise.objects.none())
    session = SessionChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("Not in a session yet"),
        help_text=_("The run's phases are planned from the session's start."),
    )
    lead_facilitator = forms.ModelChoiceField(
        label=_("Lead facilitator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("One of the cohort's facilitators."),
    )

    def __init__(self, *args: Any, cohort: Cohort, run: ExerciseRun | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if run is None:
            in_course = CourseExercise.objects.filter(course_id=cohort.course_id, exercise=OuterRef("pk"))
            self.fields["exercise"].queryset = (  # type: ignore[attr-defined]
                Exercise.objects.annotate(in_course=Exists(in_course)).order_by("-in_course", "name")
            )
        else:
            # A run keeps its exercise: its teams are the exercise's team roles.
            del self.fields["exercise"]
        free = Q(exercise_run__isnull=True) | Q(exercise_run=run) if run is not None else Q(exercise_run__isnull=True)
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            cohort.sessions.filter(free, status=Session.Status.SCHEDULED).select_related("cohort").order_by("starts_at")
        )
        if run is not None and run.status in STARTED_STATUSES:
            # exercise_run_update refuses the move; the form does not offer it (its session may be cancelled).
            held = cohort.sessions.filter(exercise_run=run).select_related("cohort")
            self.fields["session"].queryset = held  # type: ignore[attr-defined]
            self.fields["session"].disabled = True
            self.fields["session"].help_text = _("The run has started: it stays in its session.")
        facilitators = cohort.facilitators.all()
        if run is not None and run.lead_facilitator_id is not None:
            facilitators = facilitators | User.objects.filter(pk=run.lead_facilitator_id)
        self.fields["lead_facilitator"].queryset = facilitators.distinct().order_by(  # type: ignore[attr-defined]
            "last_name", "first_name", "email"
        )


class RunPhasePlacementForm(forms.Form):
    """One session select and one start time per phase of the run; run_phases_place judges the rules.

    The start is a wall-clock time in the cohort's time zone, on the session's day (or the next day, for
    a session that runs past midnight and a time before its start).
    """

    def __init__(self, *args: Any, run: ExerciseRun, phases: list[Any], sessions: list[Session], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.run, self.phases, self.tz = run, phases, run.cohort.tz
        queryset = Session.objects.filter(pk__in=[session.pk for session in sessions]).select_related("cohort")
        for position, phase in enumerate(phases, start=1):
            label = _("Phase %(number)d: %(name)s (%(minutes)d min)") % {
                "number": position,
                "name": phase.name,
                "minutes": phase.planned_minutes,
            }
            self.fields[f"phase_{phase.pk}_session"] = SessionChoiceField(
                label=label, queryset=queryset, empty_label=_("Choose a session")
            )
            self.fields[f"phase_{phase.pk}_start"] = forms.TimeField(
                label=_("Start of phase %(number)d") % {"number": position},
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def rows(self) -> list[tuple[Any, Any]]:
        """(session field, start field) per phase, for the template."""
        return [(self[f"phase_{phase.pk}_session"], self[f"phase_{phase.pk}_start"]) for phase in self.phases]

    def placements(self) -> list[dict[str, Any]]:
        placements = []
        for phase in self.phases:
            session = self.cleaned_data[f"phase_{phase.pk}_session"]
            time = self.cleaned_data[f"phase_{phase.pk}_start"]
            local_start = session.starts_at.astimezone(self.tz)
            start = dt.datetime.combine(local_start.date(), time, tzinfo=self.tz)
            if start < session.starts_at and session.ends_at.astimezone(self.tz).date() > local_start.date():
                start += dt.timedelta(days=1)
            placements.append({"phase": phase, "session": session, "planned_start": start})
        return placements

    def add_service_errors(self, error: Any) -> None:
        """Each phase's errors go next to its start time."""
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for field, texts in messages.items():
            target = f"phase_{field.removeprefix('phases.')}_start" if field.startswith("phases.") else None
            for text in texts:
                self.add_error(target if target in self.fields else None, text)
