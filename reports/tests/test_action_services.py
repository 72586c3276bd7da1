import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from conduct.models import HotwashItem
from conduct.tests.factories import HotwashItemFactory
from core.exceptions import ApplicationError
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamRoleFactory
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from reports import action_services as services
from reports.models import ActionReminder, ImprovementAction
from reports.tests.factories import ImprovementActionFactory
from trainings.models import AgencyKind
from trainings.tests.factories import AgencyFactory, CohortFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db
DUE = dt.date(2027, 3, 1)


@pytest.fixture
def plan():
    facilitator = FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[facilitator]))
    return run, facilitator


def _enrol(cohort, agency, status=Enrolment.Status.ENROLLED):
    return EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(agency=agency), status=status)


def test_drafting_fills_area_objective_and_the_only_agency_of_the_kind(plan):
    run, facilitator = plan
    police = AgencyFactory(name="Police PL", kind=AgencyKind.POLICE)
    ngo_one = AgencyFactory(name="NGO one", kind=AgencyKind.NGO)
    ngo_two = AgencyFactory(name="NGO two", kind=AgencyKind.NGO)
    withdrawn = AgencyFactory(name="Labour", kind=AgencyKind.LABOUR_INSPECTION)
    for agency in (police, ngo_one, ngo_two):
        _enrol(run.cohort, agency)
    _enrol(run.cohort, withdrawn, status=Enrolment.Status.WITHDRAWN)
    objective = LearningObjectiveFactory()
    police_team = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=run.exercise, agency_kind="police"))
    by_team = HotwashItemFactory(run=run, kind="improvement", text="Late calls", team=police_team, objective=objective)
    by_kind = HotwashItemFactory(run=run, kind="improvement", text="No shelter contact", agency_kind="ngo")
    labour = HotwashItemFactory(
        run=run, kind="improvement", text="Inspectors not told", agency_kind="labour_inspection"
    )

    today = dt.date(2026, 12, 1)
    drafted = services.improvement_actions_draft(run=run, items=[by_team, by_kind, labour], by=facilitator, today=today)

    assert [(a.area, a.agency, a.objective, a.cohort, a.status) for a in drafted] == [
        ("Late calls", police, objective, run.cohort, "open"),
        ("No shelter contact", None, None, run.cohort, "open"),  # two NGOs: to be chosen
        ("Inspectors not told", None, None, run.cohort, "open"),  # only a withdrawn person's agency
    ]
    assert {a.due_date for a in drafted} == {today + dt.timedelta(days=90)}
    assert all(a.hotwash_item_id for a in drafted)
    # Drafting the same points again writes nothing new.
    assert services.improvement_actions_draft(run=run, items=[by_team, by_kind], by=facilitator) == []
    assert ImprovementAction.objects.count() == 3


def test_drafting_refuses_strengths_other_runs_and_outsiders(plan):
    run, facilitator = plan
    strength = HotwashItemFactory(run=run, kind=HotwashItem.Kind.STRENGTH)
    elsewhere = HotwashItemFactory(kind=HotwashItem.Kind.IMPROVEMENT)
    ours = HotwashItemFactory(run=run, kind=HotwashItem.Kind.IMPROVEMENT)
    for items in ([strength], [elsewhere], [ours, elsewhere], []):
        with pytest.raises(ApplicationError) as error:
            services.improvement_actions_draft(run=run, items=items, by=facilitator)
        assert "items" in error.value.message_dict
    with pytest.raises(ApplicationError):
        services.improvement_actions_draft(run=run, items=[ours], by=FacilitatorFactory())
    assert ImprovementAction.objects.count() == 0


def test_create_checks_every_field_at_once_and_writes_nothing(plan):
    run, facilitator = plan
    with pytest.raises(ApplicationError) as error:
        services.improvement_action_create(
            by=facilitator, run=run, area=" ", due_date=None, status="maybe", contact_email="a\u200b@b.test"
        )
    assert set(error.value.message_dict) == {"area", "due_date", "status", "contact_email"}
    other_cohort = CohortFactory(facilitators=[facilitator])
    with pytest.raises(ApplicationError) as error:
        services.improvement_action_create(by=facilitator, run=run, cohort=other_cohort, area="x", due_date=DUE)
    assert "cohort" in error.value.message_dict
    with pytest.raises(ApplicationError) as error:
        services.improvement_action_create(by=facilitator, area="x", due_date=DUE)
    assert "cohort" in error.value.message_dict
    assert ImprovementAction.objects.count() == 0


def test_create_on_a_run_takes_its_cohort_and_writes_history_and_three_reminders(plan):
    run, facilitator = plan
    action = services.improvement_action_create(by=facilitator, run=run, area="Slow exchange", due_date=DUE)
    assert action.cohort == run.cohort
    assert [(e.from_status, e.to_status) for e in action.events.all()] == [("", "open")]
    reminders = list(ActionReminder.objects.filter(action=action).order_by("days"))
    assert [(r.days, r.due_at - action.created_at) for r in reminders] == [
        (30, dt.timedelta(days=30)),
        (60, dt.timedelta(days=60)),
        (90, dt.timedelta(days=90)),
    ]


def test_a_cohort_level_action_needs_no_run():
    coordinator = CoordinatorFactory()
    cohort = CohortFactory()
    action = services.improvement_action_create(by=coordinator, cohort=cohort, area="Referral", due_date=DUE)
    assert action.run is None
    assert action.cohort == cohort


def test_the_contact_updates_status_and_note_only_and_cannot_cancel(plan):
    run, _facilitator = plan
    contact = ParticipantUserFactory()
    action = ImprovementActionFactory(cohort=run.cohort, run=run, contact=contact)

    done = services.improvement_action_status_update(action=action, by=contact, status="done", note="Signed.")
    assert done.status == "done"
    assert done.completed_at is not None
    assert done.status_note == "Signed."
    again = services.improvement_action_status_update(action=done, by=contact, status="done", note="Signed, filed.")
    assert again.completed_at == done.completed_at  # done stays done from its first time
    reopened = services.improvement_action_status_update(action=again, by=contact, status="in_progress")
    assert reopened.completed_at is None
    assert reopened.status_note == "Signed, filed."
    with pytest.raises(ApplicationError):
        services.improvement_action_status_update(action=reopened, by=contact, status="cancelled")
    with pytest.raises(ApplicationError):
        services.improvement_action_update(action=reopened, by=contact, data={"area": "Mine now"})
    with pytest.raises(ApplicationError):
        services.improvement_action_status_update(action=reopened, by=ParticipantUserFactory(), status="done")
    history = [(e.from_status, e.to_status, e.by) for e in reopened.events.order_by("at", "pk")]
    assert history == [("open", "done", contact), ("done", "done", contact), ("done", "in_progress", contact)]


def test_staff_update_changes_fields_and_cancels(plan):
    run, facilitator = plan
    agency = AgencyFactory()
    action = ImprovementActionFactory(cohort=run.cohort, run=run)
    updated = services.improvement_action_update(
        action=action, by=facilitator, data={"agency": agency, "status": "cancelled", "due_date": DUE}
    )
    assert (updated.agency, updated.status, updated.due_date) == (agency, "cancelled", DUE)
    with pytest.raises(ApplicationError) as error:
        services.improvement_action_update(action=action, by=facilitator, data={"cohort": CohortFactory()})
    assert "cohort" in error.value.message_dict
    services.improvement_action_delete(action=updated, by=facilitator)
    assert not ImprovementAction.objects.exists()


def test_the_database_refuses_done_without_completion_time():
    action = ImprovementActionFactory()
    with pytest.raises(IntegrityError):
        ImprovementAction.objects.filter(pk=action.pk).update(status="done")


def test_a_done_action_keeps_its_completion_time_through_staff_edits(plan):
    run, facilitator = plan
    action = ImprovementActionFactory(cohort=run.cohort, status="done", completed_at=timezone.now())
    edited = services.improvement_action_update(action=action, by=facilitator, data={"action": "Filed."})
    assert edited.completed_at == action.completed_at
