"""Reads for the live console of a run: its phase clock, observations and notebooks."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from conduct.clock import Clock, Event, PlannedPhase, clock_compute
from conduct.models import Observation, RunEvent, RunNotebook
from exercises.models import ExerciseRun, Phase


def run_clock_queryset(*, user: Any) -> QuerySet[ExerciseRun]:
    """The runs the user sees, with what the console shows about them."""
    return ExerciseRun.objects.visible_to(user).select_related("exercise", "cohort")


def run_clock(*, run: ExerciseRun, now: dt.datetime) -> Clock:
    """The run's clock at ``now``: two queries, whatever the number of phases and events."""
    phases, events = run_clock_inputs(run)
    return clock_compute(status=run.status, phases=phases, events=events, now=now)


def run_clock_inputs(run: ExerciseRun) -> tuple[list[PlannedPhase], list[Event]]:
    """The run's phases and clock events as the pure clock takes them (two queries)."""
    phases = [
        PlannedPhase(id=p.pk, order=p.order, name=p.name, planned_minutes=p.planned_minutes)
        for p in Phase.objects.filter(exercise_id=run.exercise_id).order_by("order")
    ]
    events = [
        Event(kind=kind, at=at, phase_id=phase_id, minutes=minutes)
        for kind, at, phase_id, minutes in RunEvent.objects.filter(run=run)
        .order_by("at", "pk")
        .values_list("kind", "at", "phase_id", "minutes")
    ]
    return phases, events


def observation_queryset(*, user: Any) -> QuerySet[Observation]:
    """The observations the user sees (the exercise staff's), with what lists show, newest first."""
    return (
        Observation.objects.visible_to(user)
        .select_related("run", "author", "phase", "team__team_role", "inject", "objective")
        .order_by("-observed_at", "-pk")
    )


def run_observation_list(*, run: ExerciseRun, user: Any) -> list[Observation]:
    """The run's observations the user sees, newest first, in one query whatever their number."""
    return list(observation_queryset(user=user).filter(run=run))


def run_notebook_list(*, run: ExerciseRun) -> list[RunNotebook]:
    """The run's notebooks, one per author, in one query. Only for a run the user may observe in
    (the notebook page asks ``conduct.add_observation`` of the run first)."""
    return list(RunNotebook.objects.filter(run=run).select_related("author").order_by("pk"))
