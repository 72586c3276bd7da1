import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import FacilitatorFactory
from exercises import services
from exercises.models import ExerciseRun, RunTeam
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, TeamRoleFactory
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_run_create_makes_one_team_per_team_role():
    exercise = ExerciseFactory()
    roles = TeamRoleFactory.create_batch(5, exercise=exercise)
    TeamRoleFactory()  # another exercise's role
    cohort = CohortFactory()
    session = SessionFactory(cohort=cohort)
    lead = FacilitatorFactory()

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
