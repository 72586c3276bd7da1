"""Recording and changing observations (conduct.services.observations): each rule, and each refusal changes nothing."""

import pytest

from accounts.models import User
from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct import services
from conduct.models import Observation
from conduct.tests.factories import ObservationFactory
from conduct.tests.helpers import clock_run
from core.exceptions import ApplicationError
from exercises.tests.factories import ExerciseRunFactory, InjectFactory, RunTeamFactory, TeamRoleFactory
from participants.tests.factories import EnrolmentFactory
from trainings.tests.factories import LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _observe(run, by, **values):
    return services.observation_create(run=run, by=by, **{"text": "Team 1 called team 2.", **values})


def test_a_facilitator_records_a_note_in_the_current_phase_with_team_rating_inject_and_objective():
    run, (one, two, _three), by = clock_run()
    team = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise))
    inject = InjectFactory(exercise=run.exercise)
    of_exercise, of_course = LearningObjectiveFactory(), LearningObjectiveFactory()
    run.exercise.learning_objectives.add(of_exercise)
    run.cohort.course.learning_objectives.add(of_course)
    assert _observe(run, by).phase is None  # before the start: no phase
    services.run_start(run=run, by=by)
    services.run_advance(run=run, from_phase=one.pk, by=by)

    note = _observe(run, by, team=team, rating=4, inject=inject, objective=of_exercise, text="  Quick call.  ")
    other = _observe(run, by, objective=of_course, shareable=True)

    note.refresh_from_db()
    assert (note.phase, note.team, note.rating, note.inject, note.objective) == (two, team, 4, inject, of_exercise)
    assert (note.author, note.text, note.shareable) == (by, "Quick call.", False)
    assert other.shareable is True
    assert note.observed_at is not None


def test_a_coordinator_records_in_any_run():
    run, _phases, _by = clock_run()
    assert _observe(run, CoordinatorFactory()).pk


@pytest.mark.parametrize("who", ["other_facilitator", "participant", "nobody"])
def test_observing_in_a_run_you_do_not_facilitate_is_refused(who):
    run, _phases, _by = clock_run()
    by = {
        "other_facilitator": FacilitatorFactory,
        "participant": lambda: EnrolmentFactory(cohort=run.cohort).participant.user,
        "nobody": lambda: None,
    }[who]()
    with pytest.raises(ApplicationError):
        _observe(run, by)
    assert not Observation.objects.exists()


def test_team_inject_and_objective_of_another_run_or_exercise_are_field_errors_and_nothing_is_saved():
    run, _phases, by = clock_run()
    elsewhere = ExerciseRunFactory()
    foreign_team = RunTeamFactory(run=elsewhere, team_role=TeamRoleFactory(exercise=elsewhere.exercise))
    with pytest.raises(ApplicationError) as refused:
        _observe(
            run,
            by,
            team=foreign_team,
            inject=InjectFactory(exercise=elsewhere.exercise),
            objective=LearningObjectiveFactory(),
            rating=6,
            text="",
        )
    assert set(refused.value.field_errors) == {"team", "inject", "objective", "rating", "text"}
    assert not Observation.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_a_rating_outside_1_to_5_is_refused(rating):
    run, _phases, by = clock_run()
    with pytest.raises(ApplicationError) as refused:
        _observe(run, by, rating=rating)
    assert "rating" in refused.value.field_errors
    assert not Observation.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * (services.OBSERVATION_MAX_LENGTH + 1)])
def test_the_note_is_required_and_bounded(text):
    run, _phases, by = clock_run()
    with pytest.raises(ApplicationError) as refused:
        _observe(run, by, text=text)
    assert "text" in refused.value.field_errors
    assert _observe(run, by, text="x" * services.OBSERVATION_MAX_LENGTH).pk


def test_the_author_changes_their_note_and_nobody_else_can():
    run, _phases, by = clock_run()
    colleague = FacilitatorFactory()
    run.cohort.facilitators.add(colleague)
    note = _observe(run, by, rating=2)

    services.observation_update(observation=note, by=by, data={"text": "Better.", "rating": 3, "shareable": True})
    note.refresh_from_db()
    assert (note.text, note.rating, note.shareable) == ("Better.", 3, True)

    for other in (colleague, CoordinatorFactory(), None):
        with pytest.raises(ApplicationError):
            services.observation_update(observation=note, by=other, data={"text": "Mine now."})
    note.refresh_from_db()
    assert note.text == "Better."


def test_a_refused_change_changes_nothing():
    run, _phases, by = clock_run()
    note = ObservationFactory(run=run, author=by, rating=2, text="Kept.")
    elsewhere = ExerciseRunFactory()
    foreign_team = RunTeamFactory(run=elsewhere, team_role=TeamRoleFactory(exercise=elsewhere.exercise))
    for data in ({"text": "New", "team": foreign_team}, {"rating": 9, "text": "New"}, {"author": None}):
        with pytest.raises(ApplicationError):
            services.observation_update(observation=note, by=by, data=data)
    note.refresh_from_db()
    assert (note.text, note.rating, note.team) == ("Kept.", 2, None)


def test_an_author_who_left_the_run_staff_can_no_longer_change_their_note():
    run, _phases, by = clock_run()
    note = _observe(run, by)
    run.cohort.facilitators.remove(by)
    with pytest.raises(ApplicationError):
        # Cohort access is cached on the user object: the person as they next sign in.
        services.observation_update(observation=note, by=User.objects.get(pk=by.pk), data={"text": "Late."})
    note.refresh_from_db()
    assert note.text == "Team 1 called team 2."
