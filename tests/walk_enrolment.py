"""Permission-walk expectations for enrolment: enrol, roster import/preview/export, waiting list,
status changes and attendance (pages and API).

Cohort A is visible to its participant and facilitator: pages for acting on it answer them 403,
everyone else who cannot see it 404. Pages that show the cohort's people answer 404 to those who
may not see the roster, like the roster page itself.
"""

from collections.abc import Callable
from typing import Any

from participants.models import RosterImport
from participants.services import roster_import_create
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
COORDINATOR_ACTION_ON_A = (LOGIN, 404, 403, 404, 403, 200)
STAFF_OF_A = (LOGIN, 404, 404, 404, 200, 200)
RECORDS_ATTENDANCE_OF_A = (LOGIN, 404, 403, 404, 200, 200)

EXPECTED: dict[str, tuple[Any, ...]] = {
    "participants:enrol": COORDINATOR_ACTION_ON_A,
    "participants:roster_import": COORDINATOR_ACTION_ON_A,
    "participants:waitlist": COORDINATOR_ACTION_ON_A,
    "participants:roster_export": STAFF_OF_A,
    # Roster imports are the coordinators' records: invisible to everyone else.
    "participants:roster_preview": (LOGIN, 404, 404, 404, 404, 200),
    # Participant A's enrolment: they and A's facilitator see it; only a coordinator changes it.
    "participants:enrolment_status": COORDINATOR_ACTION_ON_A,
    "participants:attendance": RECORDS_ATTENDANCE_OF_A,
    "api:rosterimport-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:rosterimport-detail": (REFUSED, 404, 404, 404, 404, 200),
    "api:cohort-roster": (REFUSED, 404, 404, 404, 200, 200),
    "api:cohort-roster-export": (REFUSED, 404, 404, 404, 200, 200),
    "api:session-attendance": (REFUSED, 404, 403, 404, 200, 200),
}


def _roster_import(world: World) -> RosterImport:
    existing = RosterImport.objects.filter(cohort=world.cohort, filename="walk.csv").first()
    return existing or roster_import_create(
        cohort=world.cohort,
        uploaded_by=world.users["coordinator"],
        filename="walk.csv",
        content=b"email\nwalk@example.org\n",
    )


TARGETS: dict[str, Callable[[World], Any]] = {
    "participants:enrol": lambda w: w.cohort,
    "participants:roster_import": lambda w: w.cohort,
    "participants:roster_export": lambda w: w.cohort,
    "participants:waitlist": lambda w: w.cohort,
    "participants:roster_preview": _roster_import,
    "participants:enrolment_status": lambda w: w.enrolment,
    "participants:attendance": lambda w: w.session,
    "api:cohort-roster": lambda w: w.cohort,
    "api:cohort-roster-export": lambda w: w.cohort,
    "api:session-attendance": lambda w: w.session,
}
API_TARGETS: dict[str, Callable[[World], Any]] = {
    "rosterimport": _roster_import,
}
SKIPPED: dict[str, str] = {
    "api:session-attendance-all-present": "write action (POST), outside this read-only walk; see test_attendance.py",
    "api:rosterimport-commit": "write action (POST), outside this read-only walk; see test_roster_api.py",
    "api:rosterimport-discard": "write action (POST), outside this read-only walk; see test_roster_api.py",
    "api:rosterimport-options": "write action (POST), outside this read-only walk; see test_roster_api.py",
    "api:cohort-waitlist-promote": "write action (POST), outside this read-only walk; see test_waitlist.py",
}
