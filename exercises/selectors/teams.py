"""Reads for forming a run's teams: who plays, the teams, the confirmed memberships, and what the
assistant (``exercises.assistant``) proposes for them. Proposing saves nothing; confirming is
``exercises.services.teams``.

Who plays: enrolments that are **enrolled** or **invited** (``TEAM_STATUSES``). Invited people hold
a place in the cohort and are expected to come, and a roster is often formed before everyone has
accepted the invitation; waitlisted and withdrawn people hold no place, and completed ones have
finished the course.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from core.exceptions import ApplicationError
from exercises.assistant import PersonSpec, PositionSpec, Strategy, TeamSpec, positions_fill, team_assignment_suggest
from exercises.models import ExerciseRun, RunTeam, TeamMembership, TeamPosition
from participants.models import Enrolment

TEAM_STATUSES = Enrolment.ATTENDING_STATUSES
# A run that has started (or is over) keeps its teams: people have read their briefings and played.
FORMABLE_STATUSES = (ExerciseRun.Status.PLANNED,)


@dataclass
class TeamRoster:
    """What forming a run's teams works from, loaded in a fixed number of queries."""

    run: ExerciseRun
    enrolments: list[Enrolment]  # the people who play, by name
    teams: list[RunTeam]  # by team number
    current: dict[int, int]  # enrolment id -> team id, as confirmed (may include people who left)

    @property
    def team_ids(self) -> set[int]:
        return {t.pk for t in self.teams}


@dataclass(frozen=True)
class PositionSeats:
    """A position of a mixed team, with who holds it and how many of its seats are empty."""

    position: TeamPosition
    holders: list[Enrolment]

    @property
    def empty_seats(self) -> int:
        return max(0, self.position.seats - len(self.holders))


@dataclass(frozen=True)
class TeamGroup:
    """A team with the people an assignment puts in it, and its positions' seats."""

    team: RunTeam
    members: list[Enrolment]
    positions: list[PositionSeats]

    @property
    def planned_size(self) -> int | None:
        return self.team.team_role.planned_size

    @property
    def position_of(self) -> dict[int, TeamPosition]:
        """Enrolment id -> the position the person holds."""
        return {e.pk: seats.position for seats in self.positions for e in seats.holders}

    @property
    def agency_count(self) -> int:
        return len({e.participant.agency_id for e in self.members if e.participant.agency_id})

    @property
    def country_count(self) -> int:
        return len({enrolment_country(e) for e in self.members if enrolment_country(e)})


def team_roster_load(*, run: ExerciseRun) -> TeamRoster:
    """The run's playing people (with agency), its teams (with their positions) and its confirmed
    memberships: four queries."""
    enrolments = list(
        Enrolment.objects.filter(cohort_id=run.cohort_id, status__in=TEAM_STATUSES)
        .select_related("participant__user", "participant__agency")
        .order_by("participant__user__last_name", "participant__user__first_name", "participant__user__email", "pk")
    )
    teams = list(
        RunTeam.objects.filter(run=run)
        .select_related("team_role")
        .prefetch_related("team_role__positions")
        .order_by("team_role__number", "pk")
    )
    current = dict(TeamMembership.objects.filter(run=run).values_list("enrolment_id", "team_id"))
    return TeamRoster(run=run, enrolments=enrolments, teams=teams, current=current)


def team_formation_refusal(*, run: ExerciseRun) -> str | None:
    """Why this run's teams cannot be (re)formed now, or None when they can."""
    if run.status in FORMABLE_STATUSES:
        return None
    if run.status == ExerciseRun.Status.FINISHED:
        return gettext("This run has finished: its teams are kept as they played.")
    if run.status == ExerciseRun.Status.CANCELLED:
        return gettext("This run was cancelled: its teams can no longer be formed.")
    return gettext("This run has started: its teams can no longer be changed.")


def enrolment_country(enrolment: Enrolment) -> str:
    """The person's country, else their agency's (the assistant spreads countries by this)."""
    participant = enrolment.participant
    return participant.country or (participant.agency.country if participant.agency else "")


def _person_spec(enrolment: Enrolment) -> PersonSpec:
    agency = enrolment.participant.agency
    return PersonSpec(id=enrolment.pk, agency_kind=agency.kind if agency else "", country=enrolment_country(enrolment))


def _team_spec(team: RunTeam) -> TeamSpec:
    role = team.team_role
    return TeamSpec(
        id=team.pk,
        agency_kind=role.agency_kind,
        planned_size=role.planned_size,
        positions=tuple(PositionSpec(id=p.pk, agency_kind=p.agency_kind, seats=p.seats) for p in role.positions.all()),
    )


def team_positions_fill(*, team: RunTeam, members: Iterable[Enrolment]) -> dict[int, int]:
    """Enrolment id -> position id for a team's members: its positions go to people of their agency kind."""
    positions = _team_spec(team).positions
    if not positions:
        return {}
    return positions_fill(members=[_person_spec(e) for e in members], positions=positions)


def team_assignment_propose(*, roster: TeamRoster, strategy: str, seed: int = 0) -> dict[int, int]:
    """The assistant's proposal for a loaded roster: enrolment id -> team id."""
    refusal = team_formation_refusal(run=roster.run)
    if refusal:
        raise ApplicationError(refusal)
    if roster.enrolments and not roster.teams:
        raise ApplicationError(gettext("This run has no teams: give its exercise team roles first."))
    return team_assignment_suggest(
        people=[_person_spec(e) for e in roster.enrolments],
        teams=[_team_spec(t) for t in roster.teams],
        strategy=strategy,
        seed=seed,
    )


def team_assignment_starting_point(*, roster: TeamRoster) -> tuple[dict[int, int], list[Enrolment]]:
    """What the page shows first, and who is new since the teams were confirmed.

    Before any confirmation: the realistic proposal. After: the confirmed teams, with people
    enrolled since then placed in the smallest teams (the facilitator checks them before confirming).
    """
    if not roster.teams:
        return {}, []
    if not roster.current:
        return team_assignment_propose(roster=roster, strategy=Strategy.REALISTIC), []
    assignment = {e.pk: roster.current[e.pk] for e in roster.enrolments if e.pk in roster.current}
    sizes = Counter({t.pk: 0 for t in roster.teams})
    sizes.update(assignment.values())
    order = {t.pk: position for position, t in enumerate(roster.teams)}
    newcomers = [e for e in roster.enrolments if e.pk not in assignment]
    for enrolment in newcomers:
        team_id = min(sizes, key=lambda pk: (sizes[pk], order[pk]))
        assignment[enrolment.pk] = team_id
        sizes[team_id] += 1
    return assignment, newcomers


def team_assignment_groups(*, roster: TeamRoster, assignment: Mapping[int, Any]) -> list[TeamGroup]:
    """The teams in order, each with the people ``assignment`` puts in it (ids may arrive as strings)
    and who of them would hold each position."""
    by_team: dict[str, list[Enrolment]] = defaultdict(list)
    for enrolment in roster.enrolments:
        by_team[str(assignment.get(enrolment.pk, ""))].append(enrolment)
    groups = []
    for team in roster.teams:
        members = by_team[str(team.pk)]
        held = team_positions_fill(team=team, members=members)
        positions = [
            PositionSeats(position=p, holders=[e for e in members if held.get(e.pk) == p.pk])
            for p in team.team_role.positions.all()
        ]
        groups.append(TeamGroup(team=team, members=members, positions=positions))
    return groups


def team_assignment_errors(*, roster: TeamRoster, assignments: Iterable[tuple[int, int]]) -> dict[str, list[str]]:
    """Everything wrong with an assignment for this roster, as field errors (empty when it can be saved)."""
    errors: list[str] = []
    refusal = team_formation_refusal(run=roster.run)
    if refusal:
        return {"non_field_errors": [refusal]}
    if roster.enrolments and not roster.teams:
        return {"non_field_errors": [gettext("This run has no teams: give its exercise team roles first.")]}
    names = {e.pk: str(e.participant) for e in roster.enrolments}
    team_ids = roster.team_ids
    seen: Counter[int] = Counter()
    placed: dict[int, int] = {}
    for enrolment_id, team_id in assignments:
        seen[enrolment_id] += 1
        if enrolment_id not in names:
            errors.append(
                gettext("Enrolment %(id)s is not an enrolled or invited member of this run's cohort.")
                % {"id": enrolment_id}
            )
        elif team_id not in team_ids:
            errors.append(
                gettext("Team %(team)s is not a team of this run (for %(name)s).")
                % {"team": team_id, "name": names[enrolment_id]}
            )
        else:
            placed[enrolment_id] = team_id
    for enrolment_id, times in sorted(seen.items()):
        if times > 1:
            errors.append(
                gettext("%(name)s is placed %(times)s times: everyone plays in exactly one team.")
                % {"name": names.get(enrolment_id, enrolment_id), "times": times}
            )
    missing = [names[e.pk] for e in roster.enrolments if e.pk not in seen]
    if missing:
        errors.append(gettext("Everyone must be in a team; not placed: %(names)s.") % {"names": ", ".join(missing)})
    if not errors and len(roster.enrolments) >= len(roster.teams):
        used = set(placed.values())
        empty = [str(t) for t in roster.teams if t.pk not in used]
        if empty:
            errors.append(
                gettext("No team may be left empty while there are people for it: %(teams)s.")
                % {"teams": ", ".join(empty)}
            )
    return {"assignments": errors} if errors else {}
