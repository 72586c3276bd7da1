"""Attendance per session: present, late, absent or excused, recorded by the cohort's staff.

Who may record is the rule ``trainings.record_attendance`` (the cohort's facilitators and
coordinators); views and the API ask it before calling ``attendance_record``.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError
from participants.models import Attendance, Enrolment
from trainings.models import Session


@dataclass(frozen=True)
class AttendanceLine:
    enrolment: Enrolment
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""


def session_attendance_sheet(*, session: Session) -> list[AttendanceLine]:
    """The session's list: everyone holding a place in its cohort, plus anyone already recorded
    (someone who withdrew later keeps their record). Two queries whatever the number of people."""
    recorded = Attendance.objects.filter(session=session).select_related("recorded_by")
    records = {attendance.enrolment_id: attendance for attendance in recorded}
    enrolments = (
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .filter(Q(status__in=Enrolment.PLACE_STATUSES) | Q(pk__in=list(records)))
        .select_related("participant__user", "participant__agency")
        .order_by("participant__user__last_name", "participant__user__first_name", "participant__user__email")
    )
    return [AttendanceLine(enrolment=enrolment, attendance=records.get(enrolment.pk)) for enrolment in enrolments]


@transaction.atomic
def attendance_record(*, session: Session, records: Mapping[int, str | None], by: User | None) -> list[AttendanceLine]:
    """Record the session's attendance in one go: ``records`` maps enrolment ids to a status.

    Recording again updates (one record per person and session); an empty status removes the
    record. Any problem refuses the whole list and saves nothing.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise ApplicationError(_("The session was cancelled: there is no attendance to record."))
    sheet = {line.enrolment.pk: line for line in session_attendance_sheet(session=session)}
    problems = []
    for enrolment_id, status in records.items():
        if enrolment_id not in sheet:
            problems.append(_("Enrolment %(id)s is not on this session's list.") % {"id": enrolment_id})
        elif status and status not in Attendance.Status.values:
            problems.append(_("“%(status)s” is not an attendance status.") % {"status": status})
    if problems:
        raise ApplicationError(field_errors={"records": problems})

    now = timezone.now()
    created, updated, removed = [], [], []
    for enrolment_id, status in records.items():
        existing = sheet[enrolment_id].attendance
        if not status:
            if existing is not None:
                removed.append(existing.pk)
        elif existing is None:
            created.append(
                Attendance(enrolment_id=enrolment_id, session=session, status=status, recorded_by=by, recorded_at=now)
            )
        elif existing.status != status:
            existing.status, existing.recorded_by, existing.recorded_at = status, by, now
            updated.append(existing)
    Attendance.objects.filter(pk__in=removed).delete()
    Attendance.objects.bulk_create(created)
    Attendance.objects.bulk_update(updated, ["status", "recorded_by", "recorded_at"])
    return session_attendance_sheet(session=session)


@transaction.atomic
def attendance_mark_all_present(*, session: Session, by: User | None) -> list[AttendanceLine]:
    """Mark everyone enrolled (or who completed) present who has no record for the session yet.

    Records already made (late, absent, excused, or present) are kept: the button saves ticking
    every box, it does not undo what someone recorded. Invited people have not taken their place yet
    and are left to be recorded one by one. One transaction; the session is locked first so that a
    record saved at the same moment is read, not overwritten.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    enrolled = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
    records = {
        line.enrolment.pk: Attendance.Status.PRESENT
        for line in session_attendance_sheet(session=session)
        if line.attendance is None and line.enrolment.status in enrolled
    }
    return attendance_record(session=session, records=records, by=by)
