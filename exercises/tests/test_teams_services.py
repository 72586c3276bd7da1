"""Loading, proposing (exercises/selectors/teams.py) and confirming (exercises/services/teams.py) a run's teams."""

import pytest
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun, RunTeam, TeamMembership
from exercises.selectors.teams import (
    team_assignment_errors,
    team_assignment_propose,
    team_assignment_starting_point,
    team_roster_load,
)
from exercises.services.teams import team_assignment_confirm
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, RunTeamFactory, TeamRoleFactory
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.models import AgencyKind
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db

MANUAL_KINDS = [
    AgencyKind.POLICE,
    AgencyKind.BORDER_GUARD,
    AgencyKind.SOCIAL_SERVICES,
    AgencyKind.NGO,
    AgencyKind.GOVERNMENT,
]


def build_run(
    *, kinds: list[str] = MANUAL_KINDS, status: str = ExerciseRun.Status.PLANNED, facilitators=()
) -> ExerciseRun:
    """A run with one team per role, as exercise_run_create makes them; each briefing names its kind."""
    exercise = ExerciseFactory()
    cohort = CohortFactory(facilitators=list(facilitators), capacity=500)
    run = ExerciseRunFactory(exercise=exercise, cohort=cohort, status=status)
    for number, kind in enumerate(kinds, start=1):
        role = TeamRoleFactory(
            exercise=exercise, number=number, name=f"{kind} team", agency_kind=kind, briefing=f"BRIEFING-{kind}"
        )
        RunTeamFactory(run=run, team_role=role)
    return run


def enrol(run: ExerciseRun, kind: str, country: str = "PL", *, status: str = Enrolment.Status.ENROLLED) -> Enrolment:
    participant = ParticipantFactory(agency=AgencyFactory(kind=kind, country=country), country=country)
    extra = {"waitlisted_at": timezone.now()} if status == Enrolment.Status.WAITLISTED else {}
    return EnrolmentFactory(cohort=run.cohort, participant=participant, status=status, **extra)


def enrol_mix(run: ExerciseRun, per_kind: int = 3) -> list[Enrolment]:
    countries = ["PL", "DE", "RO", "BG"]
    return [enrol(run, kind, countries[i % 4]) for kind in MANUAL_KINDS for i in range(per_kind)]


def teams_of(run: ExerciseRun) -> list[RunTeam]:
    return list(run.teams.select_related("team_role").order_by("team_role__number"))


def memberships(run: ExerciseRun) -> dict[int, int]:
    return dict(TeamMembership.objects.filter(run=run).values_list("enrolment_id", "team_id"))


def round_robin(enrolments: list[Enrolment], teams: list[RunTeam]) -> list[tuple[int, int]]:
    return [(e.pk, teams[i % len(teams)].pk) for i, e in enumerate(enrolments)]


# --- loading -------------------------------------------------------------------------------------


def test_the_roster_holds_enrolled_and_invited_people_of_the_runs_cohort_only():
    run = build_run()
    enrolled = enrol(run, AgencyKind.POLICE)
    invited = enrol(run, AgencyKind.NGO, status=Enrolment.Status.INVITED)
    for status in (Enrolment.Status.WAITLISTED, Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED):
        enrol(run, AgencyKind.NGO, status=status)
    EnrolmentFactory(status=Enrolment.Status.ENROLLED)  # another cohort

    roster = team_roster_load(run=run)

    assert {e.pk for e in roster.enrolments} == {enrolled.pk, invited.pk}
    assert [t.team_role.agency_kind for t in roster.teams] == MANUAL_KINDS
    assert roster.current == {}


# --- proposing -----------------------------------------------------------------------------------


def test_a_realistic_proposal_seats_everyone_in_their_own_agencys_team():
    run = build_run()
    enrolments = enrol_mix(run)

    assignment = team_assignment_propose(roster=team_roster_load(run=run), strategy="realistic", seed=4)

    kind_of_team = {t.pk: t.team_role.agency_kind for t in teams_of(run)}
    assert sorted(assignment) == sorted(e.pk for e in enrolments)
    assert all(kind_of_team[assignment[e.pk]] == e.participant.agency.kind for e in enrolments)


def test_people_without_an_agency_are_placed_too():
    run = build_run(kinds=[AgencyKind.POLICE, AgencyKind.NGO])
    lone = EnrolmentFactory(cohort=run.cohort, participant=ParticipantFactory(agency=None, country=""))
    police = enrol(run, AgencyKind.POLICE)

    assignment = team_assignment_propose(roster=team_roster_load(run=run), strategy="perspective")

    police_team, ngo_team = (t.pk for t in teams_of(run))
    assert assignment == {police.pk: ngo_team, lone.pk: police_team}


def test_proposing_needs_teams_and_a_run_that_has_not_started():
    run = build_run(kinds=[])
    enrol(run, AgencyKind.POLICE)
    with pytest.raises(ApplicationError, match="no teams"):
        team_assignment_propose(roster=team_roster_load(run=run), strategy="mixed")

    started = build_run(status=ExerciseRun.Status.RUNNING)
    enrol(started, AgencyKind.POLICE)
    with pytest.raises(ApplicationError, match="has started"):
        team_assignment_propose(roster=team_roster_load(run=started), strategy="mixed")


# --- confirming ----------------------------------------------------------------------------------


def test_confirming_saves_every_membership_and_who_confirmed_when():
    coordinator = CoordinatorFactory()
    run = build_run()
    enrolments = enrol_mix(run, per_kind=2)
    assignment = team_assignment_propose(roster=team_roster_load(run=run), strategy="mixed")
    before = timezone.now()

    saved = team_assignment_confirm(run=run, assignments=assignment.items(), by=coordinator)

    assert memberships(run) == assignment
    assert len(assignment) == len(enrolments)
    run.refresh_from_db()
    assert run.teams_confirmed_by == coordinator
    assert run.teams_confirmed_at >= before
    assert saved.teams_confirmed_at == run.teams_confirmed_at


def test_confirming_again_replaces_the_earlier_teams():
    coordinator = CoordinatorFactory()
    run = build_run()
    enrolments = enrol_mix(run, per_kind=2)
    teams = teams_of(run)
    team_assignment_confirm(run=run, assignments=round_robin(enrolments, teams), by=coordinator)

    moved = round_robin(enrolments, list(reversed(teams)))
    team_assignment_confirm(run=run, assignments=moved, by=coordinator)

    assert memberships(run) == dict(moved)
    assert TeamMembership.objects.filter(run=run).count() == len(enrolments)


def _refusal_cases():
    """(label, how to spoil a complete round-robin assignment, a word of the message)."""

    def drop_one(run, pairs):
        return pairs[1:]

    def place_twice(run, pairs):
        return [*pairs, (pairs[0][0], pairs[1][1])]

    def other_cohort(run, pairs):
        return [*pairs, (EnrolmentFactory().pk, pairs[0][1])]

    def withdrawn(run, pairs):
        return [*pairs, (enrol(run, AgencyKind.NGO, status=Enrolment.Status.WITHDRAWN).pk, pairs[0][1])]

    def waitlisted(run, pairs):
        return [*pairs, (enrol(run, AgencyKind.NGO, status=Enrolment.Status.WAITLISTED).pk, pairs[0][1])]

    def other_runs_team(run, pairs):
        return [(pairs[0][0], RunTeamFactory().pk), *pairs[1:]]

    def empty_team(run, pairs):
        first_team = pairs[0][1]
        return [(e, first_team if t == pairs[-1][1] else t) for e, t in pairs]

    return [
        ("missing", drop_one, "not placed"),
        ("twice", place_twice, "placed 2 times"),
        ("other cohort", other_cohort, "not an enrolled or invited member"),
        ("withdrawn", withdrawn, "not an enrolled or invited member"),
        ("waitlisted", waitlisted, "not an enrolled or invited member"),
        ("other run's team", other_runs_team, "is not a team of this run"),
        ("empty team", empty_team, "No team may be left empty"),
    ]


@pytest.mark.parametrize(("label", "spoil", "message"), _refusal_cases(), ids=[c[0] for c in _refusal_cases()])
def test_a_wrong_assignment_is_refused_and_nothing_changes(label, spoil, message):
    coordinator = CoordinatorFactory()
    run = build_run()
    enrolments = enrol_mix(run, per_kind=2)
    teams = teams_of(run)
    earlier = round_robin(enrolments, teams)
    team_assignment_confirm(run=run, assignments=earlier, by=coordinator)
    run.refresh_from_db()
    confirmed_at = run.teams_confirmed_at

    with pytest.raises(ApplicationError) as refused:
        team_assignment_confirm(run=run, assignments=spoil(run, round_robin(enrolments, teams[::-1])), by=None)

    assert message in " ".join(refused.value.as_dict()["assignments"])
    assert memberships(run) == dict(earlier)  # nothing half-saved, the earlier teams stand
    run.refresh_from_db()
    assert run.teams_confirmed_at == confirmed_at
    assert run.teams_confirmed_by == coordinator


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ExerciseRun.Status.RUNNING, "has started"),
        (ExerciseRun.Status.PAUSED, "has started"),
        (ExerciseRun.Status.FINISHED, "has finished"),
        (ExerciseRun.Status.CANCELLED, "was cancelled"),
    ],
)
def test_a_run_that_started_finished_or_was_cancelled_cannot_be_re_teamed(status, message):
    run = build_run()
    enrolments = enrol_mix(run, per_kind=1)
    team_assignment_confirm(run=run, assignments=round_robin(enrolments, teams_of(run)), by=None)
    earlier = memberships(run)
    ExerciseRun.objects.filter(pk=run.pk).update(status=status)
    run.refresh_from_db()

    with pytest.raises(ApplicationError, match=message):
        team_assignment_confirm(run=run, assignments=round_robin(enrolments, teams_of(run)[::-1]), by=None)

    assert memberships(run) == earlier


def test_the_run_status_is_read_again_at_confirmation():
    """A run that starts while the page is open is not re-teamed from the stale page."""
    run = build_run()
    enrolments = enrol_mix(run, per_kind=1)
    stale = ExerciseRun.objects.get(pk=run.pk)
    ExerciseRun.objects.filter(pk=run.pk).update(status=ExerciseRun.Status.RUNNING)

    with pytest.raises(ApplicationError, match="has started"):
        team_assignment_confirm(run=stale, assignments=round_robin(enrolments, teams_of(run)), by=None)
    assert memberships(run) == {}


def test_with_fewer_people_than_teams_some_teams_may_stay_empty():
    run = build_run()
    first, second = enrol(run, AgencyKind.POLICE), enrol(run, AgencyKind.NGO)
    teams = teams_of(run)

    team_assignment_confirm(run=run, assignments=[(first.pk, teams[0].pk), (second.pk, teams[0].pk)], by=None)

    assert memberships(run) == {first.pk: teams[0].pk, second.pk: teams[0].pk}


def test_people_enrolled_after_the_confirmation_start_in_the_smallest_teams():
    run = build_run(kinds=[AgencyKind.POLICE, AgencyKind.NGO])
    police_team, ngo_team = teams_of(run)
    first, second, third = (enrol(run, AgencyKind.POLICE) for _ in range(3))
    team_assignment_confirm(
        run=run, assignments=[(first.pk, police_team.pk), (second.pk, police_team.pk), (third.pk, ngo_team.pk)], by=None
    )
    newcomer = enrol(run, AgencyKind.POLICE, status=Enrolment.Status.INVITED)
    EnrolmentFactory(cohort=run.cohort, status=Enrolment.Status.WITHDRAWN)

    assignment, newcomers = team_assignment_starting_point(roster=team_roster_load(run=run))

    assert newcomers == [newcomer]
    assert assignment == {
        first.pk: police_team.pk,
        second.pk: police_team.pk,
        third.pk: ngo_team.pk,
        newcomer.pk: ngo_team.pk,
    }


def test_the_errors_of_an_assignment_can_be_read_without_saving():
    run = build_run(kinds=[AgencyKind.POLICE, AgencyKind.NGO])
    people = [enrol(run, AgencyKind.POLICE) for _ in range(2)]
    police_team, _ngo_team = teams_of(run)
    roster = team_roster_load(run=run)

    errors = team_assignment_errors(roster=roster, assignments=[(p.pk, police_team.pk) for p in people])

    assert errors == {"assignments": [f"No team may be left empty while there are people for it: {_ngo_team}."]}
    assert memberships(run) == {}
