"""Reads for exercises: the catalogue, the facilitator guide and its plan warnings, courses' exercises."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from exercises.models import CellRole, CourseExercise, Exercise, Inject, Phase, TeamRole
from trainings.models import Course, LearningObjective


@dataclass(frozen=True)
class GuideInject:
    inject: Inject
    at_minute: int | None  # minutes from the start of the exercise; None when it has no phase


@dataclass(frozen=True)
class GuidePhase:
    phase: Phase
    start_minute: int
    end_minute: int
    injects: list[GuideInject]


@dataclass(frozen=True)
class ExerciseGuide:
    exercise: Exercise
    phases: list[GuidePhase]
    unphased_injects: list[Inject]
    injects: list[GuideInject]  # every inject, in the order the facilitator releases them
    phase_minutes: int


def _phase_minutes() -> Coalesce:
    """The sum of an exercise's phase minutes as a subquery: safe on ``visible_to``'s joined, distinct rows."""
    total = (
        Phase.objects.filter(exercise=OuterRef("pk"))
        .order_by()
        .values("exercise")
        .annotate(total=Sum("planned_minutes"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def exercise_list(*, user: Any) -> QuerySet[Exercise]:
    """Exercises the user may open, each annotated with ``phase_minutes``."""
    return Exercise.objects.visible_to(user).annotate(phase_minutes=_phase_minutes()).order_by("name")


def exercise_guide_queryset(*, user: Any) -> QuerySet[Exercise]:
    """The exercises the user may open, with everything the facilitator guide shows, in a fixed number of queries."""
    injects = (
        Inject.objects.select_related("phase", "depends_on", "delivered_by")
        .prefetch_related("target_roles", "learning_objectives", "attachments")
        .order_by("number")
    )
    return (
        Exercise.objects.visible_to(user)
        .annotate(phase_minutes=_phase_minutes())
        .select_related("variant_of")
        .prefetch_related(
            "learning_objectives",
            "phases",
            "team_roles__positions",
            "cell_roles",
            "handouts",
            Prefetch("injects", queryset=injects),
        )
    )


def exercise_get(*, user: Any, slug: str) -> Exercise | None:
    """One exercise with everything its facilitator guide shows."""
    return exercise_guide_queryset(user=user).filter(slug=slug).first()


def exercise_editor_counts(*, exercise: Exercise) -> dict[str, int]:
    """How many rows each part of the exercise's plan has, for the editor's section tabs (one query)."""

    def rows(model: Any) -> Coalesce:
        counted = model.objects.filter(exercise=OuterRef("pk")).order_by().values("exercise")
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

    counts = (
        Exercise.objects.filter(pk=exercise.pk)
        .values(
            n_phases=rows(Phase),
            n_team_roles=rows(TeamRole),
            n_cell_roles=rows(CellRole),
            n_injects=rows(Inject),
        )
        .get()
    )
    return {key.removeprefix("n_"): value for key, value in counts.items()}


def exercise_plan_warnings(*, exercise: Exercise) -> list[str]:
    """What a coordinator should know about the phase plan against the planned duration."""
    planned = exercise.planned_minutes
    total = getattr(exercise, "phase_minutes", None)
    if total is None:
        total = sum(phase.planned_minutes for phase in exercise.phases.all())
    if total == planned:
        return []
    if total == 0:
        return [_("No phases are planned yet: all %(planned)s minutes are unplanned.") % {"planned": planned}]
    if total > planned:
        return [
            _("The phases add up to %(total)s minutes, %(excess)s more than the planned %(planned)s minutes.")
            % {"total": total, "excess": total - planned, "planned": planned}
        ]
    return [
        _("The phases add up to %(total)s minutes and leave %(gap)s of the planned %(planned)s minutes unplanned.")
        % {"total": total, "gap": planned - total, "planned": planned}
    ]


def exercise_plan_warning_list(*, user: Any, limit: int = 20) -> list[tuple[Exercise, list[str]]]:
    """Exercises whose phases do not fill their planned duration exactly, with the warnings."""
    exercises = exercise_list(user=user).exclude(Q(phase_minutes=F("planned_minutes")))[:limit]
    return [(exercise, exercise_plan_warnings(exercise=exercise)) for exercise in exercises]


def exercise_guide(*, exercise: Exercise) -> ExerciseGuide:
    """Phases with their minute ranges and injects, from an exercise loaded by ``exercise_get``."""
    injects_by_phase: dict[int, list[Inject]] = {}
    unphased: list[Inject] = []
    for inject in exercise.injects.all():
        if inject.phase_id is None:
            unphased.append(inject)
        else:
            injects_by_phase.setdefault(inject.phase_id, []).append(inject)
    phases = []
    ordered: list[GuideInject] = []
    cursor = 0
    for phase in exercise.phases.all():
        phase_injects = sorted(injects_by_phase.get(phase.pk, []), key=lambda i: (i.minute_offset, i.number))
        guide_injects = [GuideInject(inject=i, at_minute=cursor + i.minute_offset) for i in phase_injects]
        phases.append(
            GuidePhase(
                phase=phase, start_minute=cursor, end_minute=cursor + phase.planned_minutes, injects=guide_injects
            )
        )
        ordered.extend(guide_injects)
        cursor += phase.planned_minutes
    ordered.extend(GuideInject(inject=i, at_minute=None) for i in unphased)
    return ExerciseGuide(
        exercise=exercise, phases=phases, unphased_injects=unphased, injects=ordered, phase_minutes=cursor
    )


# --- the catalogue seen from exercises and courses ------------------------------------------


def objective_usage(*, objective: LearningObjective) -> dict[str, int]:
    """How many courses, exercises and injects use the objective (shown before retiring it)."""
    return {
        "courses": objective.courses.count(),
        "exercises": Exercise.objects.filter(learning_objectives=objective).count(),
        "injects": Inject.objects.filter(learning_objectives=objective).count(),
    }


def course_exercise_list(*, course: Course) -> QuerySet[CourseExercise]:
    """The course's exercises in course order (``CourseExercise`` rows with their exercise)."""
    return CourseExercise.objects.filter(course=course).select_related("exercise").order_by("order", "pk")


def course_visible_exercise_ids(*, course: Course, user: Any) -> set[int]:
    """Which of the course's exercises the user may open (the exercises' own ``visible_to``)."""
    return set(Exercise.objects.filter(courses=course).visible_to(user).values_list("pk", flat=True))
