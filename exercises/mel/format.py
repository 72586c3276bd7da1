"""The master events list's columns, and the errors an import reports cell by cell (pure)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.tabular import unneutralise

# (key, header as exported). Import matches headers after core.tabular.normalise_header.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("record", "Record"),
    ("number", "Number"),
    ("phase", "Phase"),
    ("minute_offset", "Minute offset"),
    ("target_teams", "Target teams"),
    ("channel", "Channel"),
    ("kind", "Kind"),
    ("sender", "Sender"),
    ("title", "Title"),
    ("message", "Message"),
    ("expected_actions", "Expected actions"),
    ("objectives", "Objectives"),
    ("depends_on", "Depends on"),
    ("name", "Name"),
    ("minutes", "Minutes"),
    ("agency_kind", "Agency kind"),
    ("briefing", "Briefing"),
    ("tasks", "Tasks"),
    ("instructions", "Instructions"),
    ("slug", "Slug"),
    ("country", "Country"),
    ("aim", "Aim"),
    ("scenario", "Scenario"),
    ("materials", "Materials"),
    ("facilitator_guidelines", "Facilitator guidelines"),
    ("tips", "Tips"),
    ("online_variation", "Online variation"),
    ("debriefing_guidance", "Debriefing guidance"),
    # Added with mixed teams and the simulation cell; optional, so older files still import.
    ("mixed", "Mixed"),
    ("planned_size", "Planned size"),
    ("positions", "Positions"),
    ("description", "Description"),
    ("attachments", "Attachments"),
)
HEADERS = dict(COLUMNS)
REQUIRED = (
    "record",
    "number",
    "name",
    "kind",
    "minutes",
    "phase",
    "minute_offset",
    "target_teams",
    "channel",
    "title",
    "message",
    "expected_actions",
    "objectives",
    "depends_on",
    "agency_kind",
)
# The exercise's long texts travel in columns of their own, on the exercise row.
GUIDE_FIELDS = (
    "aim",
    "scenario",
    "materials",
    "facilitator_guidelines",
    "tips",
    "online_variation",
    "debriefing_guidance",
)
# Columns of several lines: tab and line breaks are text there, control characters elsewhere.
MULTILINE = (
    "message",
    "expected_actions",
    "briefing",
    "tasks",
    "instructions",
    "positions",
    "description",
    *GUIDE_FIELDS,
)


@dataclass(frozen=True)
class MelError:
    line: int | None  # None: about the file as a whole (a missing row, numbers with gaps)
    column: str  # a key of COLUMNS, or "" for the row as a whole
    message: str

    @property
    def header(self) -> str:
        return HEADERS.get(self.column, self.column)

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("the file")
        if self.column:
            where = _("%(where)s, column “%(column)s”") % {"where": where, "column": self.header}
        return f"{where}: {self.message}"


class MelImportError(ApplicationError):
    """The file had wrong rows; nothing was saved. ``errors`` lists each wrong cell."""

    def __init__(self, *, errors: Sequence[MelError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.line or 0, column_rank(e.column)))
        super().__init__(
            _("Nothing was imported: the file has %(count)s problem(s).") % {"count": len(self.errors)},
            field_errors={"file": [str(e) for e in self.errors]},
        )


@dataclass(frozen=True)
class MelImportResult:
    exercise: Any  # the exercises.Exercise created or replanned
    created: bool
    phases: int
    team_roles: int
    injects: int
    warnings: list[str]


def column_rank(column: str) -> int:
    keys = [key for key, _header in COLUMNS]
    return keys.index(column) if column in keys else len(keys)


def cell_out(value: str) -> str:
    """Text that already starts with ' before a formula character (or another ') gets one more ',
    so that import, which drops the ' that neutralising adds, gives the text back unchanged."""
    if value.startswith("''") or unneutralise(value) != value:
        return "'" + value
    return value


def cell_in(value: str) -> str:
    """The text a cell written by ``cell_out`` (and neutralised on export) stands for."""
    if value.startswith("''"):
        return value[1:]
    return unneutralise(value)
