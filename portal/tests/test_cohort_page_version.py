"""Every writer of what the cohort page caches moves its version; a stale cohort page would be a bug.

The page caches its facts (dates, place, staff) and its agenda (sessions, runs, the runs' exercises
and phases) under ``portal.selectors.cohort_page_version``. Each writer below, in whichever app it
lives, must change that version in its transaction. Places taken are read live, never cached.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct import services as clock_services
from exercises import services as exercise_services
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, PhaseFactory
from participants.models import Enrolment
from participants.services import enrolment_create
from participants.tests.factories import ParticipantFactory
from portal import selectors
from portal import services as portal_services
from trainings import services as training_services
from trainings.models import Cohort, Session
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Plan:
    cohort: Cohort
    session: Session
    spare: Session  # a second session, for a run to move to
    run: Any  # held by ``session``


@pytest.fixture
def plan() -> Plan:
    cohort = CohortFactory()
    starts = dt.datetime.combine(cohort.start_date, dt.time(9), tzinfo=cohort.tz)
    session = SessionFactory(cohort=cohort, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    spare = SessionFactory(
        cohort=cohort, starts_at=starts + dt.timedelta(hours=4), ends_at=starts + dt.timedelta(hours=6)
    )
    run = ExerciseRunFactory(cohort=cohort, session=session)
    PhaseFactory(exercise=run.exercise, order=1, name="Preparation", planned_minutes=15)
    return Plan(cohort=cohort, session=session, spare=spare, run=run)


def _later(session: Session, hours: int = 1) -> dict[str, dt.datetime]:
    return {
        "starts_at": session.starts_at + dt.timedelta(hours=hours),
        "ends_at": session.ends_at + dt.timedelta(hours=hours),
    }


def _cancelled(plan: Plan) -> Session:
    return training_services.session_cancel(session=plan.spare)


def _renamed_phase(plan: Plan) -> None:
    exercise = plan.run.exercise
    phases = exercise_services.exercise_plan_of(exercise=exercise)
    phases.phases[0] = dataclasses.replace(phases.phases[0], name="Briefing")
    exercise_services.exercise_update(exercise=exercise, data={}, plan=phases)


WRITERS: dict[str, Callable[[Plan], Any]] = {
    # trainings: the cohort's own fields and its staff
    "cohort_update (venue)": lambda p: training_services.cohort_update(cohort=p.cohort, data={"venue": "Hall B"}),
    "cohort_update (facilitators)": lambda p: training_services.cohort_update(
        cohort=p.cohort, data={"facilitators": [FacilitatorFactory()]}
    ),
    "cohort_update (coordinators)": lambda p: training_services.cohort_update(
        cohort=p.cohort, data={"coordinators": [CoordinatorFactory()]}
    ),
    # trainings: sessions
    "session_create": lambda p: training_services.session_create(
        cohort=p.cohort, title="Debrief", **_later(p.spare, hours=3)
    ),
    "session_update (title)": lambda p: training_services.session_update(session=p.session, data={"title": "Moved"}),
    "session_update (time)": lambda p: training_services.session_update(session=p.spare, data=_later(p.spare)),
    "session_cancel": lambda p: training_services.session_cancel(session=p.session),
    "session_reinstate": lambda p: training_services.session_reinstate(session=_cancelled(p)),
    # portal: the same through the layer that checks every schedule rule and tells people
    "portal cohort_update": lambda p: portal_services.cohort_update(cohort=p.cohort, data={"capacity": 40}),
    "portal session_update": lambda p: portal_services.session_update(session=p.spare, data=_later(p.spare)),
    "portal session_cancel": lambda p: portal_services.session_cancel(session=p.session),
    # exercises: runs and the exercises they run
    "exercise_run_create": lambda p: exercise_services.exercise_run_create(exercise=ExerciseFactory(), cohort=p.cohort),
    "exercise_run_update (session)": lambda p: exercise_services.exercise_run_update(
        run=p.run, data={"session": p.spare}
    ),
    "exercise_run_update (lead)": lambda p: exercise_services.exercise_run_update(
        run=p.run, data={"lead_facilitator": p.cohort.facilitators.get()}
    ),
    "exercise_update (name)": lambda p: exercise_services.exercise_update(
        exercise=p.run.exercise, data={"name": "New"}
    ),
    "exercise_update (phases)": _renamed_phase,
}


@pytest.mark.parametrize("writer", WRITERS, ids=list(WRITERS))
def test_each_writer_of_what_the_cohort_page_caches_moves_its_version(plan, writer):
    if writer == "exercise_run_update (lead)":
        training_services.cohort_update(cohort=plan.cohort, data={"facilitators": [FacilitatorFactory()]})
    before = selectors.cohort_page_version(cohort=Cohort.objects.get(pk=plan.cohort.pk))
    WRITERS[writer](plan)
    after = selectors.cohort_page_version(cohort=Cohort.objects.get(pk=plan.cohort.pk))
    assert after != before


def test_a_run_of_another_cohorts_exercise_leaves_this_cohort_alone(plan):
    elsewhere = ExerciseRunFactory()
    before = Cohort.objects.get(pk=plan.cohort.pk).schedule_version
    exercise_services.exercise_update(exercise=elsewhere.exercise, data={"name": "Elsewhere"})
    assert Cohort.objects.get(pk=plan.cohort.pk).schedule_version == before


def test_places_taken_show_at_once_without_a_new_version(client, plan):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    assert "0 of 30 places taken" in client.get(plan.cohort.get_absolute_url()).content.decode()
    enrolment_create(
        cohort=plan.cohort, participant=ParticipantFactory(), by=coordinator, status=Enrolment.Status.ENROLLED
    )
    assert "1 of 30 places taken" in client.get(plan.cohort.get_absolute_url()).content.decode()


def test_the_phase_clock_moves_the_version_at_every_change_of_the_runs_status(plan):
    """The agenda shows the run's status (planned, running, paused, finished) from the cache."""
    coordinator = CoordinatorFactory()
    steps = [
        lambda: clock_services.run_start(run=plan.run, by=coordinator),
        lambda: clock_services.run_pause(run=plan.run, by=coordinator),
        lambda: clock_services.run_resume(run=plan.run, by=coordinator),
        lambda: clock_services.run_finish(run=plan.run, by=coordinator),
    ]
    for step in steps:
        before = selectors.cohort_page_version(cohort=Cohort.objects.get(pk=plan.cohort.pk))
        step()
        assert selectors.cohort_page_version(cohort=Cohort.objects.get(pk=plan.cohort.pk)) != before
