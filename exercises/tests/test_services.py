import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises import services
from exercises.models import ExerciseRun, RunTeam
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, TeamRoleFactory
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_run_create_makes_one_team_per_team_role():
    exercise = ExerciseFactory()
    roles = TeamRoleFactory.create_batch(5, exercise=exercise)
    TeamRoleFactory()  # another exercise's role
    lead = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[lead])
    session = SessionFactory(cohort=cohort)

    run = services.exercise_run_create(exercise=exercise, cohort=cohort, session=session, lead_facilitator=lead)

    assert run.status == ExerciseRun.Status.PLANNED
    assert [team.team_role for team in run.teams.order_by("team_role__number")] == roles
    assert run.session == session


def test_run_session_must_belong_to_the_runs_cohort():
    exercise = ExerciseFactory()
    TeamRoleFactory(exercise=exercise)
    other_session = SessionFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_create(exercise=exercise, cohort=CohortFactory(), session=other_session)
    assert excinfo.value.message_dict == {"session": ["The session belongs to another cohort."]}
    assert ExerciseRun.objects.count() == 0
    assert RunTeam.objects.count() == 0


def test_a_session_holds_one_run():
    run = ExerciseRunFactory()
    session = SessionFactory(cohort=run.cohort)
    services.exercise_run_update(run=run, data={"session": session})
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_create(exercise=ExerciseFactory(), cohort=run.cohort, session=session)
    assert "session" in excinfo.value.message_dict
    assert ExerciseRun.objects.count() == 1


def test_run_update_moves_it_to_another_session_of_its_cohort_only():
    run = ExerciseRunFactory()
    mine = SessionFactory(cohort=run.cohort)
    services.exercise_run_update(run=run, data={"session": mine})
    run.refresh_from_db()
    assert run.session == mine
    with pytest.raises(ValidationError):
        services.exercise_run_update(run=run, data={"session": SessionFactory()})
    run.refresh_from_db()
    assert run.session == mine


def test_run_update_refuses_changing_the_exercise():
    run = ExerciseRunFactory()
    with pytest.raises(TypeError):
        services.exercise_run_update(run=run, data={"exercise": ExerciseFactory()})


# --- who may lead a run ------------------------------------------------------------------------


def test_a_lead_from_outside_the_cohorts_facilitators_is_refused_and_nothing_is_saved():
    exercise = ExerciseFactory()
    TeamRoleFactory(exercise=exercise)
    cohort = CohortFactory(facilitators=[FacilitatorFactory()])
    outsider = FacilitatorFactory(first_name="Olga", last_name="Petrova")  # facilitates another cohort
    CohortFactory(facilitators=[outsider])
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_create(exercise=exercise, cohort=cohort, lead_facilitator=outsider)
    assert excinfo.value.message_dict == {
        "lead_facilitator": ["Olga Petrova is not one of this cohort's facilitators; add them to the cohort first."]
    }
    assert ExerciseRun.objects.count() == 0
    assert RunTeam.objects.count() == 0


def test_a_coordinator_leads_only_as_one_of_the_cohorts_facilitators():
    coordinator = CoordinatorFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_create(exercise=ExerciseFactory(), cohort=CohortFactory(), lead_facilitator=coordinator)
    assert list(excinfo.value.message_dict) == ["lead_facilitator"]
    cohort = CohortFactory(facilitators=[coordinator])
    run = services.exercise_run_create(exercise=ExerciseFactory(), cohort=cohort, lead_facilitator=coordinator)
    assert run.lead_facilitator == coordinator


def test_changing_the_lead_to_someone_outside_the_cohort_is_refused():
    lead = FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[lead]))
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_update(run=run, data={"lead_facilitator": FacilitatorFactory()})
    assert list(excinfo.value.message_dict) == ["lead_facilitator"]
    run.refresh_from_db()
    assert (run.lead_facilitator, run.sequence) == (None, 0)
    services.exercise_run_update(run=run, data={"lead_facilitator": lead})
    run.refresh_from_db()
    assert (run.lead_facilitator, run.sequence) == (lead, 1)


def test_a_lead_who_left_the_cohort_stays_until_someone_else_is_chosen():
    # The run form offers the current lead too: moving the run must not force a new lead.
    former = FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(), lead_facilitator=former)
    session = SessionFactory(cohort=run.cohort)
    services.exercise_run_update(run=run, data={"session": session, "lead_facilitator": former})
    run.refresh_from_db()
    assert (run.session, run.lead_facilitator) == (session, former)


# --- a run that has started stays in its session -----------------------------------------------


@pytest.mark.parametrize("status", [ExerciseRun.Status.RUNNING, ExerciseRun.Status.PAUSED, ExerciseRun.Status.FINISHED])
@pytest.mark.parametrize("move_to", ["another", "none"])
def test_a_started_run_cannot_move_to_another_session(status, move_to):
    run = ExerciseRunFactory(exercise__name="Border crossing", status=status)
    first = SessionFactory(cohort=run.cohort)
    ExerciseRun.objects.filter(pk=run.pk).update(session=first)
    run.refresh_from_db()
    second = SessionFactory(cohort=run.cohort, starts_at=first.starts_at + dt.timedelta(days=1))
    target = second if move_to == "another" else None
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_run_update(run=run, data={"session": target})
    label = ExerciseRun.Status(status).label.lower()
    assert excinfo.value.message_dict == {
        "session": [f"“Border crossing” is already {label}: it cannot move to another session."]
    }
    run.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (run.session, run.sequence, first.sequence, second.sequence) == (first, 0, 0, 0)


def test_a_started_run_may_still_change_its_lead():
    lead = FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[lead]), status=ExerciseRun.Status.RUNNING)
    services.exercise_run_update(run=run, data={"lead_facilitator": lead})
    run.refresh_from_db()
    assert run.lead_facilitator == lead


def test_the_stored_status_decides_not_a_stale_copy():
    run = ExerciseRunFactory()
    first = SessionFactory(cohort=run.cohort)
    stale = ExerciseRun.objects.get(pk=run.pk)
    ExerciseRun.objects.filter(pk=run.pk).update(status=ExerciseRun.Status.RUNNING)
    with pytest.raises(ValidationError):
        services.exercise_run_update(run=stale, data={"session": first})
    assert ExerciseRun.objects.get(pk=run.pk).session is None


# --- the run's own calendar sequence ------------------------------------------------------------


def test_moving_a_run_adds_the_old_sessions_sequence_to_its_own():
    run = ExerciseRunFactory()
    busy = SessionFactory(cohort=run.cohort, sequence=7)
    quiet = SessionFactory(cohort=run.cohort, starts_at=busy.starts_at + dt.timedelta(days=1))
    services.exercise_run_update(run=run, data={"session": busy})
    assert run.sequence == 1  # from no session
    services.exercise_run_update(run=run, data={"session": quiet})
    busy.refresh_from_db()
    quiet.refresh_from_db()
    # 1 + 8 (busy, bumped when the run arrived) + 1; the calendar shows it plus quiet's 1.
    assert (run.sequence, busy.sequence, quiet.sequence) == (10, 9, 1)
    run.refresh_from_db()
    assert run.sequence == 10
