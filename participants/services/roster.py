"""The roster import's steps: store an upload with its preview, change its options, import it all or none, discard it.

``roster_import_create`` reads the upload (the file as a whole must be readable: size, encoding,
columns) and stores it as a ``RosterImport`` with the preview's counts. The preview
(``participants.selectors.roster_import_preview``) says what every row would do against the cohort
as it is now. ``roster_import_commit`` checks every row again under the cohort's lock and imports
them all, or none: in bulk, a few statements per step whatever the number of rows, and one message
to the broker after the commit (the worker emails each person).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role, User
from audit.decorators import audited
from audit.services import audit_records
from core.exceptions import ApplicationError
from participants.conflicts import participants_session_clashes, session_clash_messages
from participants.models import Enrolment, EnrolmentStatusChange, Participant, RosterImport
from participants.roster import USER_COLUMNS, PersonAction, PlaceAction, RosterPreview, RosterRow
from participants.selectors import (
    cohort_places_taken,
    roster_import_preview,
    roster_preview,
    roster_table_read,
    staff_emails,
)
from participants.services.enrolments import (
    NEW_ENROLMENT_STATUSES,
    cohort_waitlist_promote,
    enrolment_notify_on_commit,
    lock_cohort,
)
from participants.services.members import enrolments_member_sync
from participants.services.people import LANGUAGE_FIELD, PARTICIPANT_FIELDS
from trainings.models import Cohort

BATCH = 1000


class RosterImportError(ApplicationError):
    """The roster cannot be imported as it is; ``preview`` says which rows are wrong."""

    def __init__(self, message: str, *, preview: RosterPreview) -> None:
        super().__init__(message)
        self.preview = preview

    def as_dict(self) -> dict[str, Any]:  # type: ignore[override]
        errors: dict[str, Any] = super().as_dict()
        errors["rows"] = [row.as_dict() for row in self.preview.error_rows]
        return errors


@transaction.atomic
@audited("roster_import.create")
def roster_import_create(
    *,
    cohort: Cohort,
    uploaded_by: User | None,
    filename: str,
    content: bytes,
    waitlist_rest: bool = False,
    status: str = Enrolment.Status.INVITED,
    size: int | None = None,
) -> RosterImport:
    """Store an uploaded roster for its preview. A file that cannot be read as a whole is refused
    (``core.tabular.TabularError``) and nothing is stored; problems in single rows are the preview's.

    ``size`` is the upload's real size, when ``content`` was read only one byte past the limit.
    """
    if status not in NEW_ENROLMENT_STATUSES:
        raise ApplicationError(field_errors={"status": [_("New enrolments are either invited or enrolled.")]})
    table = roster_table_read(content=content, filename=filename, size=size)
    preview = roster_preview(cohort=cohort, table=table, waitlist_rest=waitlist_rest, status=status)
    roster_import = RosterImport(
        cohort=cohort,
        uploaded_by=uploaded_by,
        filename=filename[-255:],
        content=content,
        parsed=table.as_json(),
        summary=preview.summary(),
    )
    try:
        roster_import.full_clean(exclude=["uploaded_by"])
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc
    roster_import.save()
    return roster_import


def _lock_open(roster_import: RosterImport, *, file_needed: bool = True) -> RosterImport:
    locked = RosterImport.objects.select_for_update().select_related("cohort").get(pk=roster_import.pk)
    if file_needed and locked.purged_at is not None:
        raise ApplicationError(
            _(
                "This roster's file was deleted under the retention rules; nothing of it can be imported. "
                "Upload it again."
            )
        )
    if locked.status != RosterImport.Status.PREVIEWED:
        raise ApplicationError(
            _("This roster was already %(status)s.") % {"status": RosterImport.Status(locked.status).label.lower()}
        )
    return locked


@transaction.atomic
@audited("roster_import.options_update", target="roster_import")
def roster_import_options_update(*, roster_import: RosterImport, waitlist_rest: bool) -> RosterImport:
    """Change whether the rows beyond the free places go on the waiting list, and check again."""
    roster_import = _lock_open(roster_import)
    options = {**(roster_import.summary or {}).get("options", {}), "waitlist_rest": waitlist_rest}
    roster_import.summary = {**(roster_import.summary or {}), "options": options}
    # The preview reads the options from the summary; its counts then replace the old ones.
    roster_import.summary = {**roster_import.summary, **roster_import_preview(roster_import=roster_import).summary()}
    roster_import.save(update_fields=["summary", "updated_at"])
    return roster_import


@transaction.atomic
@audited("roster_import.commit", target="roster_import")
def roster_import_commit(*, roster_import: RosterImport, by: User | None) -> RosterImport:
    """Import every row of the roster, or none: all checks run again under the cohort's lock."""
    roster_import = _lock_open(roster_import)
    # Enrolments take this lock too: nobody takes a place between the check and the import.
    cohort = lock_cohort(roster_import.cohort)
    preview = roster_import_preview(roster_import=roster_import)
    if preview.has_errors:
        count = len(preview.error_rows)
        raise RosterImportError(
            ngettext(
                "Nothing was imported: %(count)d row has problems. Correct the file and upload it again.",
                "Nothing was imported: %(count)d rows have problems. Correct the file and upload it again.",
                count,
            )
            % {"count": count},
            preview=preview,
        )
    note = (_("Roster import: %(file)s") % {"file": roster_import.filename})[:255]
    created = _roster_write(preview=preview, cohort=cohort, by=by, note=note)
    enrolment_notify_on_commit(enrolments=created)
    roster_import.status = RosterImport.Status.COMMITTED
    roster_import.committed_at = timezone.now()
    roster_import.summary = {
        **(roster_import.summary or {}),
        **preview.summary(),
        "imported_by": getattr(by, "pk", None),
    }
    roster_import.save(update_fields=["status", "committed_at", "summary", "updated_at"])
    return roster_import


@transaction.atomic
@audited("roster_import.discard", target="roster_import")
def roster_import_discard(*, roster_import: RosterImport) -> RosterImport:
    """Drop a previewed roster; nothing of it is imported (also once its file was purged)."""
    roster_import = _lock_open(roster_import, file_needed=False)
    roster_import.status = RosterImport.Status.DISCARDED
    roster_import.save(update_fields=["status", "updated_at"])
    return roster_import


# --- retention -------------------------------------------------------------------------------

# What a purged import keeps of its summary: its options and counts (no cell, column name or person).
PURGE_KEEPS = ("options", "counts")


@audited("roster_import.purge_files")
def roster_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the uploaded files of roster imports older than CONCORD_ROSTER_FILE_DAYS: how many (beat, daily).

    The file (``content``), its parsed rows and what the summary took from the file (the names of unused
    columns, who imported it) go; the row stays with its cohort, file name, status and counts, marked
    ``purged_at``. Idempotent: a purged import is not touched again. Batches commit one by one, each
    under the rows' locks, so an import being committed meanwhile is purged after it, never during it.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CONCORD_ROSTER_FILE_DAYS)
    due = RosterImport.objects.filter(created_at__lt=cutoff, purged_at__isnull=True)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    purged = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            rows = list(
                due.filter(pk__in=ids[start : start + BATCH]).select_for_update().order_by("pk").only("pk", "summary")
            )
            for row in rows:
                row.content, row.parsed, row.purged_at = b"", {}, now
                row.summary = {key: (row.summary or {})[key] for key in PURGE_KEEPS if key in (row.summary or {})}
            RosterImport.objects.bulk_update(rows, ["content", "parsed", "summary", "purged_at"])
            purged += len(rows)
    return purged


# --- the import's writes, in bulk ------------------------------------------------------------


def _refuse(rows: Sequence[RosterRow], reason: str) -> ApplicationError:
    """A check the preview could not make (someone else changed these people meanwhile): nothing is imported."""
    lines = ", ".join(str(row.line) for row in rows[:10])
    return ApplicationError(
        ngettext(
            "Nothing was imported: line %(lines)s was refused (%(reason)s).",
            "Nothing was imported: lines %(lines)s were refused (%(reason)s).",
            len(rows),
        )
        % {"lines": lines, "reason": reason}
    )


def _roster_write(*, preview: RosterPreview, cohort: Cohort, by: User | None, note: str) -> list[Enrolment]:
    """Write the checked rows of ``preview``; the new enrolments (their emails go after the commit).

    Rows are written in a fixed order (addresses, then ids), so that two imports sharing new people
    wait for each other instead of deadlocking; a person another request created meanwhile is found
    and updated like a row of an existing person.
    """
    now = timezone.now()
    rows = [row for row in preview.rows if row.email]
    users = _users_write(rows)
    participants = _participants_write(rows, users=users, now=now)
    placed = [row for row in rows if row.place in (PlaceAction.ENROL, PlaceAction.WAITLIST)]
    if not placed:
        return []
    # The queue moves before newcomers are placed, as the preview counted it (e.g. after the capacity was raised).
    cohort_waitlist_promote(cohort=cohort, by=by)
    joining = {participants[users[row.email].pk].pk: row for row in placed if row.place == PlaceAction.ENROL}
    clashes = participants_session_clashes(cohort=cohort, participants=list(joining))
    if clashes:
        first = next(iter(clashes.values()))
        raise _refuse([joining[pk] for pk in clashes], session_clash_messages(cohort=cohort, sessions=first[:1])[0])
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                cohort=cohort,
                participant=participants[users[row.email].pk],
                status=preview.status if row.place == PlaceAction.ENROL else Enrolment.Status.WAITLISTED,
                status_changed_at=now,
                status_changed_by=by,
                # File order is the waiting list's order: one time, then the ids.
                waitlisted_at=now if row.place == PlaceAction.WAITLIST else None,
            )
            for row in placed
        ],
        batch_size=BATCH,
    )
    if cohort_places_taken(cohort=cohort) > cohort.capacity:
        raise ApplicationError(_("Nothing was imported: the cohort has no free place left."))
    EnrolmentStatusChange.objects.bulk_create(
        [
            EnrolmentStatusChange(
                enrolment=enrolment,
                from_status="",
                to_status=enrolment.status,
                changed_by=by,
                changed_at=now,
                note=note,
            )
            for enrolment in enrolments
        ],
        batch_size=BATCH,
    )
    enrolments_member_sync(enrolments)
    audit_records(
        [
            {"action": "enrolment.create", "target": e, "subject_id": e.participant.user_id, "detail": {"roster": True}}
            for e in enrolments
        ]
    )
    return enrolments


def _users_write(rows: Sequence[RosterRow]) -> dict[str, User]:
    """Accounts for new people, and the names the rows give: every row's account by address."""
    new = sorted((row for row in rows if row.person == PersonAction.NEW), key=lambda row: row.email)
    User.objects.bulk_create(
        [
            User(
                email=row.email,
                first_name=row.profile.get("first_name", ""),
                last_name=row.profile.get("last_name", ""),
                language=row.profile.get(LANGUAGE_FIELD, ""),
                password=make_password(None),  # unusable: the invitation sets it
            )
            for row in new
        ],
        ignore_conflicts=True,  # created meanwhile by another request: found below
        batch_size=BATCH,
    )
    users = {user.email: user for user in User.objects.filter(email__in=[row.email for row in rows])}
    missing = [row for row in rows if row.email not in users]
    if missing:
        raise _refuse(missing, _("the account was deleted meanwhile"))
    # An account created meanwhile could be staff's: refused, as in the preview.
    staff = staff_emails(emails=[row.email for row in new])
    if staff:
        raise _refuse(
            [row for row in new if row.email in staff],
            _("this address belongs to a member of staff; enrol staff by hand"),
        )
    renamed: list[User] = []
    for row in rows:
        if row.person == PersonAction.UNCHANGED:
            continue
        user = users[row.email]
        changed = False
        # The names, and the language (the roster's preferred_language is the account's).
        for key, column in (*((key, key) for key in USER_COLUMNS), ("language", LANGUAGE_FIELD)):
            value = row.profile.get(column)
            if value and getattr(user, key) != value:
                setattr(user, key, value)
                changed = True
        if changed:
            renamed.append(user)
    User.objects.bulk_update(sorted(renamed, key=lambda user: user.pk), [*USER_COLUMNS, "language"], batch_size=BATCH)
    return users


def _stored(participant: Participant, key: str) -> Any:
    # The agency by its id: reading ``participant.agency`` would cost a query per row.
    return participant.agency_id if key == "agency" else getattr(participant, key)


def _participants_write(
    rows: Sequence[RosterRow], *, users: dict[str, User], now: dt.datetime
) -> dict[int, Participant]:
    """Profiles for people without one (with the participant role), the rows' profile changes; profiles by user id."""
    needed = sorted(
        (row for row in rows if row.person in (PersonAction.NEW, PersonAction.PROFILE)),
        key=lambda row: users[row.email].pk,
    )
    Participant.objects.bulk_create(
        [
            Participant(
                user=users[row.email],
                agency=row.profile.get("agency"),
                position=row.profile.get("position", ""),
                country=row.profile.get("country", ""),
            )
            for row in needed
        ],
        ignore_conflicts=True,  # created meanwhile by another request: found below
        batch_size=BATCH,
    )
    if needed:
        group, _created = Group.objects.get_or_create(name=Role.PARTICIPANT.value)
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=users[row.email].pk, group_id=group.pk) for row in needed],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
    user_ids = [users[row.email].pk for row in rows]
    participants = {p.user_id: p for p in Participant.objects.filter(user_id__in=user_ids)}
    changed: list[Participant] = []
    for row in rows:
        if row.person == PersonAction.UNCHANGED:
            continue
        participant = participants[users[row.email].pk]
        values = {key: row.profile[key] for key in PARTICIPANT_FIELDS if key in row.profile}
        if any(_stored(participant, key) != getattr(value, "pk", value) for key, value in values.items()):
            for key, value in values.items():
                setattr(participant, key, value)
            participant.updated_at = now
            changed.append(participant)
    Participant.objects.bulk_update(
        sorted(changed, key=lambda participant: participant.pk), [*PARTICIPANT_FIELDS, "updated_at"], batch_size=BATCH
    )
    # One entry per person the file created or changed (account and profile): the columns given, never values.
    audit_records(
        [
            {
                "action": "participant.import",
                "target": participants[users[row.email].pk],
                "subject_id": users[row.email].pk,
                "detail": {"fields": sorted(key for key, value in row.profile.items() if value not in ("", None))},
            }
            for row in rows
            if row.person != PersonAction.UNCHANGED
        ]
    )
    return participants
