"""Reads for the live conduct of a run: its phase clock, its inject board and its observations."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from conduct.clock import Clock, Event, PlannedPhase, clock_compute
from conduct.inject_timing import inject_is_due, phase_times
from conduct.models import InjectDelivery, InjectRelease, Observation, RunEvent, RunNotebook
from exercises.models import ExerciseRun, Inject, Phase, RunPhase, RunTeam
from trainings import access
from trainings.models import Session


def run_clock_queryset(*, user: Any) -> QuerySet[ExerciseRun]:
    """The runs the user sees, with what the console shows about them."""
    return ExerciseRun.objects.visible_to(user).select_related("exercise", "cohort")


def run_clock(*, run: ExerciseRun, now: dt.datetime) -> Clock:
    """The run's clock at ``now``: two queries, whatever the number of phases and events."""
    phases, events = _clock_inputs(run)
    return clock_compute(status=run.status, phases=phases, events=events, now=now)


def _clock_inputs(run: ExerciseRun) -> tuple[list[PlannedPhase], list[Event]]:
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


# --- the inject board ---------------------------------------------------------------------------------

PENDING, RELEASED, SKIPPED = "pending", InjectRelease.Status.RELEASED.value, InjectRelease.Status.SKIPPED.value


@dataclass(frozen=True)
class BoardTeam:
    """A team an inject goes (or would go) to, and whether one of its members acknowledged it."""

    team: RunTeam
    delivery: InjectDelivery | None  # None while the inject is pending

    @property
    def acknowledged(self) -> bool:
        return self.delivery is not None and self.delivery.acknowledged_at is not None


@dataclass(frozen=True)
class BoardInject:
    """One planned inject of the run: when it is planned, what it waits for, and what became of it."""

    inject: Inject
    planned_at: dt.datetime | None  # phase start + offset, by the clock (pauses push it later)
    dependency: Inject | None
    dependency_met: bool  # no dependency, or it was released
    release: InjectRelease | None
    teams: list[BoardTeam]  # delivered to (released), or its default targets (pending)
    due: bool  # pending and its time has come (auto-release would send it)

    @property
    def status(self) -> str:
        return self.release.status if self.release is not None else PENDING


@dataclass(frozen=True)
class BoardAdhoc:
    """An inject written on the spot, and the teams it went to."""

    release: InjectRelease
    teams: list[BoardTeam]


@dataclass(frozen=True)
class InjectBoard:
    run: ExerciseRun
    clock: Clock
    now: dt.datetime
    planned: list[BoardInject]
    adhoc: list[BoardAdhoc]  # in the order they were released
    teams: list[RunTeam]

    @property
    def counts(self) -> dict[str, int]:
        statuses = [row.status for row in self.planned]
        return {status: statuses.count(status) for status in (PENDING, RELEASED, SKIPPED)}


def run_inject_board(*, run: ExerciseRun, now: dt.datetime) -> InjectBoard:
    """The console's injects: every planned inject of the run's exercise with its plan and status, and the
    ad-hoc releases. Nine queries whatever the number of injects, releases, teams and phases."""
    phases, events = _clock_inputs(run)
    clock = clock_compute(status=run.status, phases=phases, events=events, now=now)
    planned_starts = dict(RunPhase.objects.filter(run=run).values_list("phase_id", "planned_start"))
    anchor = (
        Session.objects.filter(pk=run.session_id).values_list("starts_at", flat=True).first()
        if run.session_id
        else None
    )
    times = phase_times(
        phases=phases, events=events, clock=clock, now=now, planned_starts=planned_starts, anchor=anchor
    )
    teams = list(RunTeam.objects.filter(run=run).select_related("team_role"))
    injects = list(
        Inject.objects.filter(exercise_id=run.exercise_id)
        .select_related("phase", "delivered_by")
        .prefetch_related("target_roles")
        .order_by("phase__order", "minute_offset", "number")
    )
    releases = list(
        InjectRelease.objects.filter(run=run)
        .select_related("by", "delivered_by", "phase")
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=InjectDelivery.objects.select_related("team__team_role", "acknowledged_by"),
            )
        )
        .order_by("at", "pk")
    )
    by_inject = {release.inject_id: release for release in releases if release.inject_id is not None}
    by_id = {inject.pk: inject for inject in injects}
    planned = []
    for inject in injects:
        release = by_inject.get(inject.pk)
        dependency = by_id.get(inject.depends_on_id) if inject.depends_on_id else None
        met = dependency is None or getattr(by_inject.get(dependency.pk), "status", None) == RELEASED
        if release is not None:
            shown = _delivered(release)
        else:
            roles = {role.pk for role in inject.target_roles.all()}
            shown = [BoardTeam(team, None) for team in teams if not roles or team.team_role_id in roles]
        order = inject.phase.order if inject.phase else None
        planned.append(
            BoardInject(
                inject=inject,
                planned_at=times.at(inject.phase_id, inject.minute_offset),
                dependency=dependency,
                dependency_met=met,
                release=release,
                teams=shown,
                due=release is None
                and inject_is_due(phase_order=order, minute_offset=inject.minute_offset, clock=clock),
            )
        )
    adhoc = [BoardAdhoc(release, _delivered(release)) for release in releases if release.inject_id is None]
    return InjectBoard(run=run, clock=clock, now=now, planned=planned, adhoc=adhoc, teams=teams)


def _delivered(release: InjectRelease) -> list[BoardTeam]:
    return [BoardTeam(delivery.team, delivery) for delivery in release.deliveries.all()]


def inject_release_queryset(*, user: Any) -> QuerySet[InjectRelease]:
    """The inject releases the user sees: the run's staff's (participants see theirs in their room)."""
    releases = InjectRelease.objects.select_related("run", "by", "phase", "delivered_by").prefetch_related(
        Prefetch("deliveries", queryset=InjectDelivery.objects.select_related("team__team_role"))
    )
    if not access.sees_everything(user):
        releases = releases.filter(run__cohort_id__in=access.facilitated_cohort_ids(user))
    return releases.order_by("run", "at", "pk")
