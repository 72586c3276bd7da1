import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory, UserFactory
from exercises.tests.factories import (
    ExerciseRunFactory,
    PhaseFactory,
    RunTeamFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
)
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from portal.tests.teams import teams_confirm
from reflections.models import Questionnaire
from reflections.tests.factories import AdministrationFactory
from tests.world import World, build_world
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# --- dashboards ------------------------------------------------------------------------------


def test_participant_dashboard_shows_their_cohort_and_only_their_own_teams_briefing(client, world):
    teams_confirm(world.run)
    client.force_login(world.users["participant"])
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    dashboard = response.context["dashboard"]
    assert [e.cohort for e in dashboard.enrolments] == [world.cohort]
    assert [m.team for m in dashboard.memberships] == [world.team]
    assert "OUR-TEAM-BRIEFING" in html
    assert "RIVAL-BRIEFING" not in html
    assert "OTHER-COHORT-BRIEFING" not in html
    assert world.cohort_other.name not in html
    # The page shows exactly what the rule allows.
    user = world.users["participant"]
    assert all(user.has_perm("exercises.view_team_briefing", m.team) for m in dashboard.memberships)
    assert not user.has_perm("exercises.view_team_briefing", world.team_rival)


def test_participant_sees_only_their_own_team_on_the_run_page(client, world):
    teams_confirm(world.run)
    client.force_login(world.users["participant"])
    response = client.get(world.run.get_absolute_url())
    html = response.content.decode()
    assert response.context["can_manage"] is False
    assert "teams" not in response.context
    assert response.context["own_team"] == world.team
    assert "OUR-TEAM-BRIEFING" in html
    assert "RIVAL-BRIEFING" not in html
    assert world.exercise.get_absolute_url() not in html  # the facilitator guide is for staff


def test_facilitator_dashboard_lists_upcoming_runs_of_their_cohorts_only(client, world):
    client.force_login(world.users["facilitator"])
    response = client.get(reverse("dashboard"))
    dashboard = response.context["dashboard"]
    assert dashboard.upcoming_runs == [world.run]
    assert dashboard.facilitated_cohorts == [world.cohort]
    assert dashboard.current_cohorts == []  # the coordinator's section is not theirs
    html = response.content.decode()
    assert world.run.get_absolute_url() in html
    assert world.run_other.get_absolute_url() not in html


def test_coordinator_dashboard_shows_cohorts_sessions_and_plan_warnings(client, world):
    client.force_login(world.users["coordinator"])
    response = client.get(reverse("dashboard"))
    dashboard = response.context["dashboard"]
    assert set(dashboard.current_cohorts) == {world.cohort, world.cohort_other}
    assert set(dashboard.upcoming_sessions) == {world.session, world.session_other}
    assert {exercise for exercise, _ in dashboard.plan_warnings} == {world.exercise, world.exercise_other}
    html = response.content.decode()
    assert "leave 45 of the planned 90 minutes unplanned" in html
    # Each session is shown in its own cohort's time zone (Warsaw and Sofia differ by an hour).
    for session in (world.session, world.session_other):
        local = session.starts_at.astimezone(session.cohort.tz)
        assert f"{local:%H:%M}–" in html
        assert local.strftime("%Z") in html


def test_a_user_without_a_role_is_told_so(client):
    client.force_login(UserFactory())
    assert "no role yet" in client.get(reverse("dashboard")).content.decode()


def test_the_dashboard_lists_the_questionnaires_a_participant_has_to_answer(client, world):
    """Open ones of their own cohorts, with a link to answer them; not other cohorts', not staff's."""
    questionnaire = Questionnaire.objects.create(title="Reflection on the simulation", exercise=world.exercise)
    ours = AdministrationFactory(questionnaire=questionnaire, cohort=world.cohort, run=world.run)
    AdministrationFactory(questionnaire=questionnaire, cohort=world.cohort_other)
    client.force_login(world.users["participant"])
    response = client.get(reverse("dashboard"))
    assert response.context["dashboard"].pending_questionnaires == [ours]
    assert reverse("reflections:answer", kwargs={"pk": ours.pk}) in response.content.decode()
    client.force_login(world.users["facilitator"])
    response = client.get(reverse("dashboard"))
    assert response.context["dashboard"].pending_questionnaires == []
    assert "Reflection on the simulation" not in response.content.decode()


# --- the cohort page's roster ----------------------------------------------------------------


def test_roster_is_for_the_cohorts_staff_and_404_for_its_participants(client, world):
    roster_url = reverse("participants:cohort_roster", kwargs={"slug": world.cohort.slug})
    email = world.users["participant"].email
    client.force_login(world.users["facilitator"])
    response = client.get(world.cohort.get_absolute_url())
    assert response.context["can"]["view_roster"] is True
    assert roster_url in response.content.decode()
    response = client.get(roster_url)
    assert email in response.content.decode().replace("<wbr>", "")  # the address may wrap at @ and dots
    assert "2 of 30 places taken" in response.content.decode()

    client.force_login(world.users["participant"])
    response = client.get(world.cohort.get_absolute_url())
    assert response.context["can"]["view_roster"] is False
    assert roster_url not in response.content.decode()
    assert any(entry.run == world.run for day in response.context["agenda"] for entry in day.entries)
    assert client.get(roster_url).status_code == 404


def test_profile_page_shows_the_participants_own_enrolments(client, world):
    withdrawn = EnrolmentFactory(participant=world.participant, status=Enrolment.Status.WITHDRAWN)
    client.force_login(world.users["participant"])
    response = client.get(reverse("participants:me"))
    assert response.context["participant"] == world.participant
    assert set(response.context["enrolments"]) == {world.enrolment, withdrawn}


# --- query counts: the same with 1 and with 50 objects ---------------------------------------


def _participant_in_a_new_cohort(participant):
    cohort = CohortFactory()
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    run = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort))
    team = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise))
    TeamMembershipFactory(run=run, team=team, enrolment=enrolment)
    teams_confirm(run)


def test_participant_dashboard_query_count_does_not_grow(client, django_assert_max_num_queries):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    _participant_in_a_new_cohort(participant)
    small = _queries(client, reverse("dashboard"))
    for _ in range(49):
        _participant_in_a_new_cohort(participant)
    with django_assert_max_num_queries(small):
        response = client.get(reverse("dashboard"))
    dashboard = response.context["dashboard"]
    assert len(dashboard.memberships) == 20  # the dashboard shows the first 20


def _facilitated_run(facilitator):
    cohort = CohortFactory(facilitators=[facilitator])
    ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort), lead_facilitator=facilitator)


def test_facilitator_dashboard_query_count_does_not_grow(client, django_assert_max_num_queries):
    facilitator = FacilitatorFactory()
    client.force_login(facilitator)
    _facilitated_run(facilitator)
    small = _queries(client, reverse("dashboard"))
    for _ in range(49):
        _facilitated_run(facilitator)
    with django_assert_max_num_queries(small):
        response = client.get(reverse("dashboard"))
    assert len(response.context["dashboard"].upcoming_runs) == 20


def _coordinated_cohort():
    cohort = CohortFactory()
    EnrolmentFactory(cohort=cohort)
    run = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort))
    PhaseFactory(exercise=run.exercise, planned_minutes=15)


def test_coordinator_dashboard_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    _coordinated_cohort()
    small = _queries(client, reverse("dashboard"))
    for _ in range(49):
        _coordinated_cohort()
    with django_assert_max_num_queries(small):
        response = client.get(reverse("dashboard"))
    dashboard = response.context["dashboard"]
    assert len(dashboard.current_cohorts) == len(dashboard.upcoming_sessions) == len(dashboard.plan_warnings) == 20


def test_cohort_page_query_count_does_not_grow_with_people_and_sessions(client, django_assert_max_num_queries):
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator], capacity=100)
    start = dt.datetime.combine(cohort.start_date, dt.time(9, 0), tzinfo=cohort.tz)
    run = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort, starts_at=start))
    PhaseFactory(exercise=run.exercise)
    EnrolmentFactory(cohort=cohort)
    client.force_login(facilitator)
    roster_url = reverse("participants:cohort_roster", kwargs={"slug": cohort.slug})
    small_page = _queries(client, cohort.get_absolute_url())
    small_roster = _queries(client, roster_url)
    for i in range(1, 50):
        EnrolmentFactory(cohort=cohort)
        other = ExerciseRunFactory(
            cohort=cohort, session=SessionFactory(cohort=cohort, starts_at=start + dt.timedelta(hours=3 * i))
        )
        PhaseFactory(exercise=other.exercise)
    with django_assert_max_num_queries(small_page):
        response = client.get(cohort.get_absolute_url())
    assert sum(len(day.entries) for day in response.context["agenda"]) == 50
    assert response.context["places_taken"] == 50
    with django_assert_max_num_queries(small_roster):
        response = client.get(roster_url)
    assert len(response.context["roster"]) == 50


def test_run_page_query_count_does_not_grow_with_team_members(client, django_assert_max_num_queries):
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator], capacity=100)
    run = ExerciseRunFactory(cohort=cohort, session=SessionFactory(cohort=cohort))
    teams = [RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise)) for _ in range(5)]
    TeamMembershipFactory(run=run, team=teams[0], enrolment=EnrolmentFactory(cohort=cohort))
    client.force_login(facilitator)
    small = _queries(client, run.get_absolute_url())
    for i in range(49):
        TeamMembershipFactory(run=run, team=teams[i % 5], enrolment=EnrolmentFactory(cohort=cohort))
    with django_assert_max_num_queries(small):
        response = client.get(run.get_absolute_url())
    assert sum(len(team.memberships.all()) for team in response.context["teams"]) == 50


def test_participant_user_with_no_profile_gets_404_on_the_profile_page(client):
    client.force_login(ParticipantUserFactory())
    assert client.get(reverse("participants:me")).status_code == 404
