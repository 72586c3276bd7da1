import datetime as dt

import pytest
from django.utils import timezone

from certificates.models import CertificatePolicy, EligibilityOverride
from certificates.selectors import cohort_eligibility
from certificates.tests.factories import (
    CertificatePolicyFactory,
    EligibilityOverrideFactory,
    attend,
    enrolled,
    held_session,
    past_cohort,
)
from participants.models import Attendance, Enrolment
from reflections.models import Completion
from reflections.tests.factories import AdministrationFactory
from trainings.models import Session
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _row(cohort, enrolment):
    return next(r for r in cohort_eligibility(cohort=cohort) if r.participant.pk == enrolment.participant_id)


def test_default_policy_needs_every_held_session_and_late_counts():
    cohort = past_cohort()
    first, second = held_session(cohort, day=0), held_session(cohort, day=1)
    full, late, partial = enrolled(cohort), enrolled(cohort), enrolled(cohort)
    attend(full, first, second)
    attend(late, first)
    attend(late, second, status=Attendance.Status.LATE)
    attend(partial, first)
    attend(partial, second, status=Attendance.Status.ABSENT)

    assert _row(cohort, full).eligible
    assert _row(cohort, late).eligible
    row = _row(cohort, partial)
    assert not row.eligible
    assert (row.attended, row.held) == (1, 2)
    assert row.reasons == ["Attended 1 of 2 sessions; every session is required."]


def test_cancelled_and_future_sessions_do_not_count():
    cohort = past_cohort()
    session = held_session(cohort)
    held_session(cohort, day=1, status=Session.Status.CANCELLED)
    now = timezone.now()
    SessionFactory(cohort=cohort, starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1, hours=2))
    enrolment = enrolled(cohort)
    attend(enrolment, session)
    row = _row(cohort, enrolment)
    assert (row.attended, row.held, row.eligible) == (1, 1, True)


def test_share_rule_and_no_rule():
    cohort = past_cohort()
    policy = CertificatePolicyFactory(
        cohort=cohort, attendance=CertificatePolicy.Attendance.SHARE, min_attendance_percent=75
    )
    sessions = [held_session(cohort, day=i % 3) for i in range(4)]
    three, two = enrolled(cohort), enrolled(cohort)
    attend(three, *sessions[:3])
    attend(two, *sessions[:2])
    assert _row(cohort, three).eligible
    assert _row(cohort, two).reasons == ["Attended 2 of 4 sessions (50%); 75% is required."]
    policy.attendance = CertificatePolicy.Attendance.NONE
    policy.save()
    assert _row(cohort, two).eligible


def test_no_held_session_means_not_eligible_under_an_attendance_rule():
    cohort = past_cohort()
    enrolment = enrolled(cohort)
    assert _row(cohort, enrolment).reasons == ["No session of the cohort has been held yet."]


def test_reflection_required_and_overrides():
    cohort = past_cohort()
    session = held_session(cohort)
    administration = AdministrationFactory(cohort=cohort)
    CertificatePolicyFactory(cohort=cohort, reflection=administration)
    answered, silent, absent = enrolled(cohort), enrolled(cohort), enrolled(cohort)
    attend(answered, session)
    attend(silent, session)
    Completion.objects.create(
        administration=administration, participant=answered.participant, completed_at=timezone.now()
    )
    Completion.objects.create(
        administration=administration, participant=absent.participant, completed_at=timezone.now()
    )

    assert _row(cohort, answered).eligible
    assert _row(cohort, silent).reasons == ["Has not submitted the reflection questionnaire."]
    assert not _row(cohort, absent).eligible

    EligibilityOverrideFactory(cohort=cohort, participant=silent.participant, rule=EligibilityOverride.Rule.REFLECTION)
    EligibilityOverrideFactory(cohort=cohort, participant=absent.participant, rule=EligibilityOverride.Rule.ATTENDANCE)
    assert _row(cohort, silent).eligible
    row = _row(cohort, absent)
    assert row.eligible
    assert set(row.overrides) == {"attendance"}


def test_only_enrolled_and_completed_people_are_listed():
    cohort = past_cohort()
    kept = [enrolled(cohort), enrolled(cohort, status=Enrolment.Status.COMPLETED)]
    enrolled(cohort, status=Enrolment.Status.WITHDRAWN)
    enrolled(cohort, status=Enrolment.Status.INVITED)
    assert {r.participant.pk for r in cohort_eligibility(cohort=cohort)} == {e.participant_id for e in kept}


def test_a_constant_number_of_queries_for_a_whole_cohort(django_assert_num_queries):
    cohort = past_cohort()
    administration = AdministrationFactory(cohort=cohort)
    CertificatePolicyFactory(cohort=cohort, reflection=administration)
    sessions = [held_session(cohort, day=d) for d in range(3)]
    for _ in range(12):
        enrolment = enrolled(cohort)
        attend(enrolment, *sessions[:2])
        EligibilityOverrideFactory(cohort=cohort, participant=enrolment.participant)
    with django_assert_num_queries(7):
        rows = cohort_eligibility(cohort=cohort)
        assert len(rows) == 12
        assert all(r.overrides["attendance"].granted_by is None for r in rows)
