import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from exercises.tests.factories import ExerciseRunFactory
from reports import action_services as services
from reports.models import ActionReminder
from reports.tasks import action_reminder_email_task
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db
DUE = dt.date(2027, 3, 1)


@pytest.fixture
def action():
    facilitator = FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[facilitator]))
    contact = ParticipantUserFactory(email="contact@agency.test")
    return services.improvement_action_create(by=facilitator, run=run, area="Late calls", due_date=DUE, contact=contact)


def _sweep(action, days, capture):
    with capture(execute=True):
        return services.action_reminders_send_due(now=action.created_at + dt.timedelta(days=days, minutes=1))


def test_each_milestone_mails_the_contact_once(action, django_capture_on_commit_callbacks):
    assert _sweep(action, 29, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert _sweep(action, 30, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["contact@agency.test"]]
    assert "Late calls" in mail.outbox[0].body
    assert "30" in mail.outbox[0].body
    assert _sweep(action, 31, django_capture_on_commit_callbacks) == 0  # swept already
    # The task delivered twice (a redelivery): no second e-mail.
    reminder = ActionReminder.objects.get(action=action, days=30)
    assert action_reminder_email_task(reminder.pk) == 0
    assert _sweep(action, 60, django_capture_on_commit_callbacks) == 1
    assert _sweep(action, 90, django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 3
    assert _sweep(action, 400, django_capture_on_commit_callbacks) == 0
    assert ActionReminder.objects.filter(swept_at__isnull=True).count() == 0


def test_a_late_sweep_sends_only_the_latest_milestone(action, django_capture_on_commit_callbacks):
    assert _sweep(action, 61, django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    assert "60" in mail.outbox[0].body
    assert list(ActionReminder.objects.filter(sent=True).values_list("days", flat=True)) == [60]


def test_done_and_cancelled_actions_are_not_reminded(action, django_capture_on_commit_callbacks):
    services.improvement_action_status_update(action=action, by=action.contact, status="done")
    assert _sweep(action, 30, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert ActionReminder.objects.get(action=action, days=30).swept_at is not None


def test_closed_between_sweep_and_send_sends_nothing(action, django_capture_on_commit_callbacks):
    services.action_reminders_send_due(now=action.created_at + dt.timedelta(days=30, minutes=1))  # not committed
    reminder = ActionReminder.objects.get(action=action, days=30)
    action.status, action.completed_at = "done", timezone.now()
    action.save()
    assert action_reminder_email_task(reminder.pk) == 0
    assert mail.outbox == []


def test_without_a_contact_account_the_cohort_coordinators_are_reminded(django_capture_on_commit_callbacks):
    first, second = CoordinatorFactory(email="c1@concord.test"), CoordinatorFactory(email="c2@concord.test")
    cohort = CohortFactory(coordinators=[first, second])
    action = services.improvement_action_create(
        by=first, cohort=cohort, area="Referral", due_date=DUE, contact_name="Ana", contact_email="ana@ngo.test"
    )
    assert _sweep(action, 30, django_capture_on_commit_callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["c1@concord.test", "c2@concord.test"]


def test_an_action_written_on_two_lines_is_reminded_on_one_subject_line(django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory(email="c@concord.test")
    cohort = CohortFactory(coordinators=[coordinator])
    action = services.improvement_action_create(
        by=coordinator, cohort=cohort, area="Referral", action="Agree the list\nand sign it", due_date=DUE
    )
    assert _sweep(action, 30, django_capture_on_commit_callbacks) == 1
    subject = mail.outbox[0].subject
    assert "\n" not in subject
    assert "Agree the list" in subject
