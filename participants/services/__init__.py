"""Writes for participants: people, enrolments and the waiting list, CohortMember, roster imports.

One module per topic; the names every caller uses are here.
"""

from participants.services.enrolments import (
    NEW_ENROLMENT_STATUSES,
    STATUS_TRANSITIONS,
    cohort_waitlist_promote,
    enrolment_create,
    enrolment_create_for_person,
    enrolment_invitation_resend,
    enrolment_notify_on_commit,
    enrolment_status_change,
)
from participants.services.members import enrolment_member_sync, enrolments_member_sync
from participants.services.people import (
    PARTICIPANT_FIELDS,
    USER_FIELDS,
    participant_create,
    participant_get_or_create,
    participant_update,
)
from participants.services.roster import (
    RosterImportError,
    roster_files_purge,
    roster_import_commit,
    roster_import_create,
    roster_import_discard,
    roster_import_options_update,
)

__all__ = [
    "NEW_ENROLMENT_STATUSES",
    "PARTICIPANT_FIELDS",
    "STATUS_TRANSITIONS",
    "USER_FIELDS",
    "RosterImportError",
    "cohort_waitlist_promote",
    "enrolment_create",
    "enrolment_create_for_person",
    "enrolment_invitation_resend",
    "enrolment_member_sync",
    "enrolment_notify_on_commit",
    "enrolment_status_change",
    "enrolments_member_sync",
    "participant_create",
    "participant_get_or_create",
    "participant_update",
    "roster_files_purge",
    "roster_import_commit",
    "roster_import_create",
    "roster_import_discard",
    "roster_import_options_update",
]
