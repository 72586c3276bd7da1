"""Roster files, row by row: what each row of an uploaded roster would do and what is wrong with it.

Pure logic, no database. ``roster_rows_read`` checks every cell of a table read by
``core.tabular`` (addresses and names normalised by ``core.text``, agencies and languages matched
against the lists it is given). ``roster_preview_build`` then decides each row's outcome from the
facts the caller read about the cohort and the people (``participants.selectors.roster_facts``).
The services (``participants.services.roster``) store, check again and import.

Email is the key (case-insensitive): importing the same file again updates people's names,
agency, position, country and language, and never duplicates a person or an enrolment. An empty
cell leaves what is stored as it is. Refused row by row: members of staff (an import must not
rename them or make them participants; a row that changes nothing about someone already in the
cohort is accepted, so that an export imports back), and people whose other cohort meets at the
same time as one of this cohort's sessions.
"""

from participants.roster.cells import AgencyMatcher, ignored_columns, language_codes, roster_emails, roster_rows_read
from participants.roster.outcomes import roster_preview_build
from participants.roster.rows import (
    COLUMNS,
    EXPORT_COLUMNS,
    MAX_LENGTHS,
    PROFILE_COLUMNS,
    REQUIRED_COLUMNS,
    SHOWN_LENGTH,
    USER_COLUMNS,
    Person,
    PersonAction,
    PlaceAction,
    RosterFacts,
    RosterPreview,
    RosterRow,
)

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "MAX_LENGTHS",
    "PROFILE_COLUMNS",
    "REQUIRED_COLUMNS",
    "SHOWN_LENGTH",
    "USER_COLUMNS",
    "AgencyMatcher",
    "Person",
    "PersonAction",
    "PlaceAction",
    "RosterFacts",
    "RosterPreview",
    "RosterRow",
    "ignored_columns",
    "language_codes",
    "roster_emails",
    "roster_preview_build",
    "roster_rows_read",
]
