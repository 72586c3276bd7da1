"""Roster import and export: a cohort's people as a CSV or XLSX file.

The import runs in three steps. ``roster_import_create`` reads the upload (the file as a whole must
be readable: size, encoding, columns) and stores it as a ``RosterImport``. ``roster_import_preview``
says what every row would do — a new person, an update, already in the cohort, the waiting list —
and what is wrong with it, against the cohort as it is now. ``roster_import_commit`` checks every
row again under the cohort's lock and imports them all, or none.

Email is the key (case-insensitive): importing the same file again updates people's names, agency,
position, country and language, and never duplicates a person or an enrolment. An empty cell leaves
what is stored as it is. Two kinds of people are refused row by row: members of staff (an import
must not rename them or make them participants) and people whose other cohort meets at the same
time as one of this cohort's sessions (they cannot attend both).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from accounts.roles import is_coordinator
from core.exceptions import ApplicationError
from core.services import country_code_errors
from core.tabular import Table, table_read
from participants.conflicts import participants_session_clashes, session_clash_messages
from participants.models import Enrolment, Participant, RosterImport
from participants.selectors import cohort_roster
from participants.services import (
    NEW_ENROLMENT_STATUSES,
    cohort_places_taken,
    enrolment_create,
    enrolment_notify_on_commit,
    participant_create,
    participant_update,
    staff_emails,
)
from trainings.models import Agency, Cohort

COLUMNS = ("email", "first_name", "last_name", "agency", "position", "country", "preferred_language")
REQUIRED_COLUMNS = ("email",)
EXPORT_COLUMNS = (*COLUMNS, "status", "status_changed_at", "waitlisted_at")
PROFILE_COLUMNS = COLUMNS[1:]

_MAX_LENGTHS = {
    "email": User._meta.get_field("email").max_length,
    "first_name": User._meta.get_field("first_name").max_length,
    "last_name": User._meta.get_field("last_name").max_length,
    "position": Participant._meta.get_field("position").max_length,
}


class PersonAction(models.TextChoices):
    NEW = "new", gettext_lazy("New person")
    PROFILE = "profile", gettext_lazy("Existing account, new participant profile")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("No change")


class PlaceAction(models.TextChoices):
    ENROL = "enrol", gettext_lazy("Takes a place")
    WAITLIST = "waitlist", gettext_lazy("Waiting list")
    ALREADY = "already", gettext_lazy("Already in the cohort")


@dataclass
class RosterRow:
    line: int
    email: str
    cells: dict[str, str]
    # What the import writes: the non-empty cells, cleaned (agency as an Agency, country upper case...).
    profile: dict[str, Any] = field(default_factory=dict)
    participant: Participant | None = None
    person: str = ""
    changes: list[str] = field(default_factory=list)
    place: str = ""
    current_status: str = ""  # the status of an enrolment the person already has in the cohort
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def details(self) -> str:
        """The row's other cells, for showing."""
        keys = ("agency", "position", "country", "preferred_language")
        return " · ".join(self.cells[key] for key in keys if self.cells.get(key))

    def person_label(self) -> str:
        return str(PersonAction(self.person).label) if self.person else ""

    def place_label(self) -> str:
        if self.place == PlaceAction.ALREADY and self.current_status:
            return _("Already in the cohort (%(status)s)") % {"status": Enrolment.Status(self.current_status).label}
        return str(PlaceAction(self.place).label) if self.place else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "email": self.email,
            "first_name": self.cells.get("first_name", ""),
            "last_name": self.cells.get("last_name", ""),
            "agency": self.cells.get("agency", ""),
            "position": self.cells.get("position", ""),
            "country": self.cells.get("country", ""),
            "preferred_language": self.cells.get("preferred_language", ""),
            "person": self.person or None,
            "changes": self.changes,
            "place": self.place or None,
            "current_status": self.current_status or None,
            "errors": self.errors,
        }


@dataclass
class RosterPreview:
    cohort: Cohort
    rows: list[RosterRow]
    waitlist_rest: bool
    status: str
    places_taken: int
    waiting: int  # people already on the waiting list who can move up: they get free places first
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def free_places(self) -> int:
        return max(0, self.cohort.capacity - self.places_taken - self.waiting)

    @property
    def error_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def has_errors(self) -> bool:
        return any(not row.ok for row in self.rows)

    @property
    def has_capacity_errors(self) -> bool:
        return any("capacity" in row.errors for row in self.rows)

    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.rows), "errors": len(self.error_rows)}
        for action in (*PersonAction.values, *PlaceAction.values):
            counts[action] = 0
        for row in self.rows:
            if row.ok:
                counts[row.person] += 1
                counts[row.place] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        return {
            "options": {"waitlist_rest": self.waitlist_rest, "status": self.status},
            "counts": self.counts(),
            "ignored_columns": self.ignored_columns,
        }


class RosterImportError(ApplicationError):
    """The roster cannot be imported as it is; ``preview`` says which rows are wrong."""

    def __init__(self, message: str, *, preview: RosterPreview) -> None:
        super().__init__(message)
        self.preview = preview

    def as_dict(self) -> dict[str, Any]:  # type: ignore[override]
        errors: dict[str, Any] = super().as_dict()
        errors["rows"] = [row.as_dict() for row in self.preview.error_rows]
        return errors


# --- reading and checking --------------------------------------------------------------------


class _Agencies:
    """Agencies matched by exact name, case-insensitively, or as “Name (CC)” with the country code."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[Agency]] = {}
        self.by_label: dict[str, Agency] = {}
        for agency in Agency.objects.order_by("name", "country"):
            self.by_name.setdefault(agency.name.casefold(), []).append(agency)
            self.by_label[str(agency).casefold()] = agency

    def resolve(self, text: str) -> tuple[Agency | None, str]:
        key = text.casefold()
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0], ""
        if key in self.by_label:
            return self.by_label[key], ""
        if named:
            choices = ", ".join(f"“{agency}”" for agency in named)
            return None, _("Several agencies are called “%(name)s”: write one of %(choices)s.") % {
                "name": text,
                "choices": choices,
            }
        return None, _("Unknown agency “%(name)s”. Use an agency's exact name, or “Name (CC)”.") % {"name": text}


def _languages() -> dict[str, str]:
    """Language codes, and their names in English and in the current language, to codes."""
    known: dict[str, str] = {}
    for code, label in settings.LANGUAGES:
        known[code.casefold()] = code
        known[str(label).casefold()] = code
        with translation.override("en"):
            known[str(label).casefold()] = code
    return known


def _check_cells(row: RosterRow, *, agencies: _Agencies, languages: dict[str, str]) -> None:
    """Field-by-field checks of one row, and its cleaned profile values."""
    if not row.email:
        row.error("email", _("The email address is missing."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            row.error("email", _("“%(email)s” is not a valid email address.") % {"email": row.email})
    for key, limit in _MAX_LENGTHS.items():
        value = row.email if key == "email" else row.cells.get(key, "")
        if limit and len(value) > limit:
            row.error(key, _("%(column)s is longer than %(limit)d characters.") % {"column": key, "limit": limit})
    for key in ("first_name", "last_name", "position"):
        if row.cells.get(key) and key not in row.errors:
            row.profile[key] = row.cells[key]
    agency_text = row.cells.get("agency", "")
    if agency_text:
        agency, problem = agencies.resolve(agency_text)
        if problem:
            row.error("agency", problem)
        else:
            row.profile["agency"] = agency
    country = row.cells.get("country", "")
    if country:
        problems = country_code_errors(country=country)
        if problems:
            row.error(
                "country", _("“%(country)s”: %(problem)s") % {"country": country, "problem": problems["country"][0]}
            )
        else:
            row.profile["country"] = country.upper()
    language = row.cells.get("preferred_language", "")
    if language:
        code = languages.get(language.casefold())
        if code is None:
            codes = ", ".join(code for code, _label in settings.LANGUAGES)
            row.error(
                "preferred_language",
                _("Unknown language “%(language)s”. Use one of %(codes)s.") % {"language": language, "codes": codes},
            )
        else:
            row.profile["preferred_language"] = code


def _person_changes(row: RosterRow, participant: Participant) -> list[str]:
    current = {
        "first_name": participant.user.first_name,
        "last_name": participant.user.last_name,
        "agency": participant.agency,
        "position": participant.position,
        "country": participant.country,
        "preferred_language": participant.preferred_language,
    }
    return [key for key in PROFILE_COLUMNS if key in row.profile and row.profile[key] != current[key]]


def roster_preview_build(
    *, cohort: Cohort, table: Table, waitlist_rest: bool, status: str = Enrolment.Status.INVITED
) -> RosterPreview:
    """What importing ``table`` into ``cohort`` would do, row by row, with every row's problems.

    A fixed number of queries whatever the number of rows. Rows that need a place take the free
    places in file order (after the people already waiting); the rest go on the waiting list
    with ``waitlist_rest``, and are errors without it. A member of staff's row is an error, and so
    is the row of someone who would take a place while another cohort of theirs meets at the same
    time (someone who would only wait is checked when they move up).
    """
    agencies, languages = _Agencies(), _languages()
    rows = [
        RosterRow(
            line=raw.line,
            email=raw.get("email").strip().lower(),
            cells={key: raw.get(key).strip() for key in COLUMNS},
        )
        for raw in table.rows
    ]
    first_line: dict[str, int] = {}
    for row in rows:
        _check_cells(row, agencies=agencies, languages=languages)
        if row.email and row.email in first_line:
            row.error(
                "email", _("The same email address is already on line %(line)d.") % {"line": first_line[row.email]}
            )
        first_line.setdefault(row.email, row.line)

    emails = {row.email for row in rows if row.email}
    users = {user.email: user for user in User.objects.filter(email__in=emails).select_related("participant__agency")}
    staff = staff_emails(emails=emails)
    enrolments = {
        enrolment.participant.user.email: enrolment
        for enrolment in Enrolment.objects.filter(cohort=cohort, participant__user__email__in=emails).select_related(
            "participant__user"
        )
    }
    places_taken = cohort_places_taken(cohort=cohort)
    waiting_list = Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.WAITLISTED)
    # People waiting whose other cohort meets at the same time stay waiting: they take no free place.
    stuck = participants_session_clashes(cohort=cohort, participants=waiting_list.values("participant_id"))
    waiting = waiting_list.count() - len(stuck)
    preview = RosterPreview(
        cohort=cohort,
        rows=rows,
        waitlist_rest=waitlist_rest,
        status=status,
        places_taken=places_taken,
        waiting=waiting,
        ignored_columns=[name for name in table.headers if name and name not in COLUMNS],
    )

    joining = [
        user.participant.pk
        for email, user in users.items()
        if email not in enrolments and getattr(user, "participant", None) is not None
    ]
    clashes = participants_session_clashes(cohort=cohort, participants=joining)

    newcomers = 0
    for row in rows:
        user = users.get(row.email)
        participant = getattr(user, "participant", None) if user is not None else None
        row.participant = participant
        if row.email in staff:
            row.error("email", _("This address belongs to a member of staff; enrol staff by hand."))
        if user is None:
            row.person = PersonAction.NEW
        elif participant is None:
            row.person = PersonAction.PROFILE
        else:
            row.changes = _person_changes(row, participant)
            row.person = PersonAction.UPDATE if row.changes else PersonAction.UNCHANGED
        existing = enrolments.get(row.email)
        if existing is not None:
            row.place, row.current_status = PlaceAction.ALREADY, existing.status
            continue
        if not row.ok:
            continue  # a row in error takes no place, so that the rows after it are counted right
        if newcomers < preview.free_places and participant is not None and participant.pk in clashes:
            for message in session_clash_messages(cohort=cohort, sessions=clashes[participant.pk]):
                row.error("schedule", message)
            continue  # nor does a row that cannot attend
        newcomers += 1
        if newcomers <= preview.free_places:
            row.place = PlaceAction.ENROL
        elif waitlist_rest:
            row.place = PlaceAction.WAITLIST
        else:
            row.error(
                "capacity",
                _(
                    "Over capacity: %(free)d of the cohort's %(capacity)d places are free, and this is new person "
                    "number %(number)d. Tick “put the rest on the waiting list”, or raise the capacity."
                )
                % {"free": preview.free_places, "capacity": cohort.capacity, "number": newcomers},
            )
    return preview


def _read(*, content: bytes, filename: str) -> Table:
    return table_read(content=content, filename=filename, required=REQUIRED_COLUMNS)


# --- the import's steps ------------------------------------------------------------------------


def _options(roster_import: RosterImport) -> tuple[bool, str]:
    options = (roster_import.summary or {}).get("options", {})
    return bool(options.get("waitlist_rest", False)), options.get("status", Enrolment.Status.INVITED)


def roster_import_preview(*, roster_import: RosterImport) -> RosterPreview:
    """The stored upload checked against the cohort as it is now (the cohort may have changed)."""
    waitlist_rest, status = _options(roster_import)
    table = _read(content=bytes(roster_import.content), filename=roster_import.filename)
    return roster_preview_build(cohort=roster_import.cohort, table=table, waitlist_rest=waitlist_rest, status=status)


@transaction.atomic
def roster_import_create(
    *,
    cohort: Cohort,
    uploaded_by: User | None,
    filename: str,
    content: bytes,
    waitlist_rest: bool = False,
    status: str = Enrolment.Status.INVITED,
) -> RosterImport:
    """Store an uploaded roster for its preview. A file that cannot be read as a whole is refused
    (``core.tabular.TabularError``) and nothing is stored; problems in single rows are the preview's."""
    if status not in NEW_ENROLMENT_STATUSES:
        raise ApplicationError(field_errors={"status": [_("New enrolments are either invited or enrolled.")]})
    table = _read(content=content, filename=filename)
    preview = roster_preview_build(cohort=cohort, table=table, waitlist_rest=waitlist_rest, status=status)
    roster_import = RosterImport(
        cohort=cohort,
        uploaded_by=uploaded_by,
        filename=filename[-255:],
        content=content,
        summary=preview.summary(),
    )
    roster_import.full_clean(exclude=["uploaded_by"])
    roster_import.save()
    return roster_import


def _lock_open(roster_import: RosterImport) -> RosterImport:
    locked = RosterImport.objects.select_for_update().select_related("cohort").get(pk=roster_import.pk)
    if locked.status != RosterImport.Status.PREVIEWED:
        raise ApplicationError(
            _("This roster was already %(status)s.") % {"status": RosterImport.Status(locked.status).label.lower()}
        )
    return locked


@transaction.atomic
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
def roster_import_commit(*, roster_import: RosterImport, by: User | None) -> RosterImport:
    """Import every row of the roster, or none: all checks run again under the cohort's lock."""
    roster_import = _lock_open(roster_import)
    # Enrolments take this lock too: nobody takes a place between the check and the import.
    Cohort.objects.select_for_update().get(pk=roster_import.cohort_id)
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
    note = _("Roster import: %(file)s") % {"file": roster_import.filename}
    created: list[Enrolment] = []
    for row in preview.rows:
        try:
            enrolment = _import_row(row, preview=preview, by=by, note=note[:255])
        except (ApplicationError, ValidationError) as exc:
            # A check the preview could not make; the whole import is rolled back.
            detail = "; ".join(_messages(exc))
            raise ApplicationError(
                _("Nothing was imported: line %(line)d was refused (%(detail)s).")
                % {"line": row.line, "detail": detail}
            ) from exc
        if enrolment is not None:
            created.append(enrolment)
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


def _import_row(row: RosterRow, *, preview: RosterPreview, by: User | None, note: str) -> Enrolment | None:
    """Write one checked row; the new enrolment, if the row makes one (its email goes after the commit)."""
    participant = row.participant
    if row.person in (PersonAction.NEW, PersonAction.PROFILE):
        participant = participant_create(email=row.email, **row.profile)
    elif row.person == PersonAction.UPDATE and participant is not None:
        participant = participant_update(participant=participant, data={key: row.profile[key] for key in row.changes})
    if row.place == PlaceAction.ALREADY or participant is None:
        return None
    enrolment = enrolment_create(
        cohort=preview.cohort,
        participant=participant,
        by=by,
        status=preview.status,
        note=note,
        waitlist_if_full=row.place == PlaceAction.WAITLIST,
        notify=False,
    )
    if row.place == PlaceAction.ENROL and enrolment.status == Enrolment.Status.WAITLISTED:
        raise ApplicationError(_("the cohort has no free place left"))
    return enrolment


def _messages(exc: ApplicationError | ValidationError) -> list[str]:
    if isinstance(exc, ApplicationError):
        return [message for messages in exc.as_dict().values() for message in messages]
    return list(exc.messages)


@transaction.atomic
def roster_import_discard(*, roster_import: RosterImport) -> RosterImport:
    """Drop a previewed roster; nothing of it is imported."""
    roster_import = _lock_open(roster_import)
    roster_import.status = RosterImport.Status.DISCARDED
    roster_import.save(update_fields=["status", "updated_at"])
    return roster_import


# --- reads -----------------------------------------------------------------------------------


def roster_import_list(*, user: Any, cohort: Cohort | None = None) -> QuerySet[RosterImport]:
    """Roster imports the user may see: the coordinators' (as the rule ``participants.view_rosterimport``)."""
    imports = RosterImport.objects.select_related("cohort", "uploaded_by").defer("content")
    if not is_coordinator(user):
        return imports.none()
    if cohort is not None:
        imports = imports.filter(cohort=cohort)
    return imports.order_by("-created_at", "-pk")


def _when(value: dt.datetime | None, cohort: Cohort) -> str:
    return value.astimezone(cohort.tz).isoformat(timespec="minutes") if value else ""


def roster_export_rows(*, cohort: Cohort) -> tuple[Sequence[str], list[list[Any]]]:
    """The cohort's people and their status, in the import's columns (an export imports back).

    Times are in the cohort's time zone, with their offset.
    """
    rows = []
    for enrolment in cohort_roster(cohort=cohort):
        participant = enrolment.participant
        user = participant.user
        rows.append(
            [
                user.email,
                user.first_name,
                user.last_name,
                str(participant.agency) if participant.agency else "",
                participant.position,
                participant.country,
                participant.preferred_language,
                enrolment.status,
                _when(enrolment.status_changed_at, cohort),
                _when(enrolment.waitlisted_at, cohort),
            ]
        )
    return EXPORT_COLUMNS, rows
