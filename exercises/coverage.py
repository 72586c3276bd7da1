"""Objective coverage of a course: which of its exercises and injects address each of its objectives,
which objectives nothing addresses, and which teams get no inject in a crisis phase.

A read for the coverage page and API, in a fixed number of queries whatever the size of the course.
Only team roles are checked: the simulation cell's roles (``CellRole``) deliver injects, they do not
receive them, so they are never flagged.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from exercises.models import Exercise, ExerciseRun, Inject, Phase, RunTeam, TeamRole
from trainings.models import Course, LearningObjective


@dataclass(frozen=True)
class CoverageCell:
    exercise: Exercise
    by_exercise: bool  # the exercise itself lists the objective
    injects: list[Inject]  # the exercise's injects that list it

    @property
    def addressed(self) -> bool:
        return self.by_exercise or bool(self.injects)


@dataclass(frozen=True)
class CoverageRow:
    objective: LearningObjective
    cells: list[CoverageCell]  # one per course exercise, in course order

    @property
    def addressed(self) -> bool:
        return any(cell.addressed for cell in self.cells)


@dataclass(frozen=True)
class CrisisCheck:
    """For a run (or an exercise not run yet): the teams no inject reaches in a crisis phase.

    An inject without target teams goes to every team, as the facilitator guide shows it.
    """

    exercise: Exercise
    run: ExerciseRun | None
    crisis_phases: list[Phase]
    teams_without_inject: list[TeamRole]

    @property
    def ok(self) -> bool:
        return bool(self.crisis_phases) and not self.teams_without_inject


@dataclass(frozen=True)
class CourseCoverage:
    course: Course
    exercises: list[Exercise]
    rows: list[CoverageRow]
    crisis_checks: list[CrisisCheck]

    @property
    def unaddressed(self) -> list[LearningObjective]:
        return [row.objective for row in self.rows if not row.addressed]

    @property
    def crisis_gaps(self) -> list[CrisisCheck]:
        return [check for check in self.crisis_checks if not check.ok]


def _exercises_with_plans(ids: set[int]) -> dict[int, Exercise]:
    injects = Inject.objects.select_related("phase").prefetch_related("target_roles", "learning_objectives")
    exercises = Exercise.objects.filter(pk__in=ids).prefetch_related(
        "learning_objectives",
        Prefetch("phases", queryset=Phase.objects.order_by("order")),
        Prefetch("team_roles", queryset=TeamRole.objects.order_by("number")),
        Prefetch("injects", queryset=injects.order_by("number")),
    )
    return {exercise.pk: exercise for exercise in exercises}


def _crisis_check(exercise: Exercise, roles: list[TeamRole], run: ExerciseRun | None) -> CrisisCheck:
    crisis = [phase for phase in exercise.phases.all() if phase.kind == Phase.Kind.CRISIS]
    crisis_ids = {phase.pk for phase in crisis}
    reached: set[int] = set()
    everyone = False
    for inject in exercise.injects.all():
        if inject.phase_id not in crisis_ids:
            continue
        targets = {role.pk for role in inject.target_roles.all()}
        everyone = everyone or not targets
        reached |= targets
    missing = [] if everyone else [role for role in roles if role.pk not in reached]
    return CrisisCheck(exercise=exercise, run=run, crisis_phases=crisis, teams_without_inject=missing)


def course_coverage(*, course: Course, user: Any) -> CourseCoverage:
    """The course's objective × exercise × inject matrix and its crisis-phase checks.

    Runs are those of the course's cohorts that ``user`` may see (cancelled ones left out); an
    exercise of the course without such a run is checked with all of its team roles.
    """
    objectives = list(course.learning_objectives.order_by("order", "code"))
    course_exercise_ids = list(
        course.course_exercises.order_by("order", "pk").values_list("exercise_id", flat=True)  # type: ignore[attr-defined]
    )
    runs = list(
        ExerciseRun.objects.visible_to(user)
        .filter(cohort__course=course)
        .exclude(status=ExerciseRun.Status.CANCELLED)
        .select_related("cohort", "session")
        .prefetch_related(Prefetch("teams", queryset=RunTeam.objects.select_related("team_role")))
        .order_by("cohort__start_date", "session__starts_at", "pk")
    )
    plans = _exercises_with_plans(set(course_exercise_ids) | {run.exercise_id for run in runs})
    exercises = [plans[pk] for pk in course_exercise_ids]

    rows = []
    for objective in objectives:
        cells = []
        for exercise in exercises:
            by_exercise = any(o.pk == objective.pk for o in exercise.learning_objectives.all())
            injects = [
                i for i in exercise.injects.all() if any(o.pk == objective.pk for o in i.learning_objectives.all())
            ]
            cells.append(CoverageCell(exercise=exercise, by_exercise=by_exercise, injects=injects))
        rows.append(CoverageRow(objective=objective, cells=cells))

    checks = []
    run_exercises = set()
    for run in runs:
        exercise = plans[run.exercise_id]
        run.exercise = exercise  # the prefetched plan, for the page and the API
        run_exercises.add(exercise.pk)
        roles = sorted((team.team_role for team in run.teams.all()), key=lambda role: role.number)
        checks.append(_crisis_check(exercise, roles, run))
    for exercise in exercises:
        if exercise.pk not in run_exercises:
            checks.append(_crisis_check(exercise, list(exercise.team_roles.all()), None))
    return CourseCoverage(course=course, exercises=exercises, rows=rows, crisis_checks=checks)
