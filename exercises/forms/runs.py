"""Scheduling an exercise run into one of its cohort's sessions, led by one of its facilitators."""

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
