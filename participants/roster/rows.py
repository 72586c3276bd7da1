"""What a roster preview is made of: the columns, each row's outcome and problems, the facts it is decided from."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Enrolment

COLUMNS = ("email", "first_name", "last_name", "agency", "position", "country", "preferred_language")
REQUIRED_COLUMNS = ("email",)
EXPORT_COLUMNS = (*COLUMNS, "status", "status_changed_at", "waitlisted_at")
PROFILE_COLUMNS = COLUMNS[1:]
USER_COLUMNS = ("first_name", "last_name")
# The model fields' max_length (accounts.User, participants.Participant); a test keeps them equal.
MAX_LENGTHS = {"email": 254, "first_name": 150, "last_name": 150, "position": 200}
# Cells are shown back (page, API) at most this long: longer than any valid value, so only bad ones are cut.
SHOWN_LENGTH = 254


class PersonAction(models.TextChoices):
    NEW = "new", gettext_lazy("New person")
    PROFILE = "profile", gettext_lazy("Existing account, new participant profile")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("No change")


class PlaceAction(models.TextChoices):
    ENROL = "enrol", gettext_lazy("Takes a place")
    WAITLIST = "waitlist", gettext_lazy("Waiting list")
    ALREADY = "already", gettext_lazy("Already in the cohort")


@dataclass(frozen=True)
class Person:
    """What is stored about one address (the caller reads it)."""

    user_id: int
    participant_id: int | None
    is_staff: bool
    # first_name, last_name, agency (an id or None), position, country, preferred_language.
    values: Mapping[str, Any]
    status: str = ""  # the status of their enrolment in the cohort; empty when they have none


@dataclass(frozen=True)
class RosterFacts:
    """The cohort and the people of a roster as they are now."""

    capacity: int
    places_taken: int
    waiting: int  # people already waiting who can move up: they get free places first
    people: Mapping[str, Person]  # by normalised email
    # Participant id -> why they cannot attend (another cohort of theirs meets at the same time).
    clashes: Mapping[int, Sequence[str]] = field(default_factory=dict)


@dataclass
class RosterRow:
    line: int
    # The cells as shown back: stripped, and cut to SHOWN_LENGTH.
    cells: dict[str, str]
    email: str = ""  # normalised; empty when the cell is missing or refused
    # What the import writes: the non-empty cells, cleaned (agency as an Agency, country upper case...).
    profile: dict[str, Any] = field(default_factory=dict)
    person: str = ""
    changes: list[str] = field(default_factory=list)
    place: str = ""
    current_status: str = ""  # the status of an enrolment the person already has in the cohort
    user_id: int | None = None
    participant_id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]

    @property
    def shown_email(self) -> str:
        return self.email or self.cells.get("email", "")

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
            "email": self.shown_email,
            **{key: self.cells.get(key, "") for key in PROFILE_COLUMNS},
            "person": self.person or None,
            "changes": self.changes,
            "place": self.place or None,
            "current_status": self.current_status or None,
            "errors": self.errors,
        }


@dataclass
class RosterPreview:
    rows: list[RosterRow]
    waitlist_rest: bool
    status: str
    capacity: int
    places_taken: int
    waiting: int  # people already on the waiting list who can move up: they get free places first
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.places_taken - self.waiting)

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
