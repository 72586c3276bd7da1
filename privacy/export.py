"""A person's data as one ZIP: every holding of the registry that has rows about them, in JSON and CSV.

The builder reads ``privacy.registry.holdings()`` only (it knows no domain): for each holding, the rows
``holding.queryset(person)`` finds, with the ``holding.fields`` it declares, in a stable order. Rows are
streamed (``iterator()``) into the archive's entries, so a person with many rows is never held in memory
whole. The ZIP holds, per holding with rows, ``<section>.json`` (a list of objects keyed by the field
lookups) and ``<section>.csv`` (the same rows, the lookups as headers, cells made safe to open in a
spreadsheet by ``core.tabular``), then ``index.json`` (each section's title, purpose, what erasure does and
its row count) and ``README.txt``. Texts are in the active language: the caller wraps the call in
``translation.override``.
"""

import datetime as dt
import io
import json
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.tabular import csv_write
from privacy.registry import ERASURE_LABELS, Holding, holdings

# Rows fetched from the database at a time while a section is written.
CHUNK = 500
# A section's CSV waits in memory up to this size while its JSON is written, then on disk.
CSV_SPOOL_BYTES = 1 << 20


@dataclass(frozen=True)
class Section:
    name: str  # the file name of its entries, without extension: "conduct_observation_author"
    holding: Holding


def export_sections() -> list[Section]:
    """Every holding with a unique file name: a model held through several lookups (observations about
    a person's teams, and observations they wrote) is told apart by the lookup."""
    registered = holdings()
    shared = Counter(holding.section for holding in registered)
    sections = []
    for holding in registered:
        name = holding.section
        if shared[name] > 1:
            name = f"{name}_{holding.person.replace('__', '_')}"
        sections.append(Section(name=name, holding=holding))
    return sections


def holding_rows(holding: Holding, person: Any) -> Iterator[dict[str, Any]]:
    """The holding's rows about ``person`` as dicts of its fields, in a stable order (its own, then id)."""
    queryset: QuerySet[Any] = holding.queryset(person)
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering or ())
    rows = queryset.order_by(*ordering, "pk").values(*holding.fields)
    return rows.iterator(chunk_size=CHUNK)


_ENCODER = DjangoJSONEncoder()


def cell(value: Any) -> Any:
    """A CSV cell written like its JSON value: ISO 8601 dates, true/false, JSON for lists and objects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return _ENCODER.default(value)
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return value


def _section_write(
    archive: zipfile.ZipFile, name: str, fields: Sequence[str], rows: Iterable[dict[str, Any]], delimiter: str
) -> int:
    """Write the section's JSON entry while its CSV is spooled aside (a ZIP takes one entry at a time),
    then the CSV entry: how many rows."""
    with tempfile.SpooledTemporaryFile(max_size=CSV_SPOOL_BYTES) as spool:
        csv_text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
        with io.TextIOWrapper(archive.open(f"{name}.json", "w"), encoding="utf-8") as json_text:

            def both(source: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
                for number, row in enumerate(source):
                    json_text.write("[\n" if number == 0 else ",\n")
                    json_text.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
                    yield [cell(row[field]) for field in fields]

            count = csv_write(stream=csv_text, headers=fields, rows=both(rows), delimiter=delimiter)
            json_text.write("\n]\n" if count else "[]\n")
        csv_text.flush()
        csv_text.detach()
        spool.seek(0)
        with archive.open(f"{name}.csv", "w") as entry:
            shutil.copyfileobj(spool, entry)
    return count


def export_write(
    *,
    person: Any,
    out: IO[bytes],
    generated_at: dt.datetime,
    delimiter: str = ",",
    keep_hours: int | None = None,
    on_section: Callable[[Section, int], None] | None = None,
) -> dict[str, int]:
    """Write ``person``'s export as a ZIP into ``out``: the row count of each section (0: no entries).

    ``on_section`` is told after each section (the job's progress); ``keep_hours`` how long the download
    is kept, for the README.
    """
    counts: dict[str, int] = {}
    index_sections = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in export_sections():
            holding = section.holding
            rows = holding_rows(holding, person)
            first = next(rows, None)
            count = 0
            if first is not None:
                count = _section_write(archive, section.name, holding.fields, _chain(first, rows), delimiter)
            counts[section.name] = count
            index_sections.append(
                {
                    "name": section.name,
                    "title": str(holding.title),
                    "purpose": str(holding.purpose),
                    "erasure": str(holding.erasure.value),
                    "erasure_label": str(ERASURE_LABELS[holding.erasure]),
                    "erasure_note": str(holding.erasure_note),
                    "rows": count,
                    "files": [f"{section.name}.json", f"{section.name}.csv"] if count else [],
                }
            )
            if on_section is not None:
                on_section(section, count)
        index = {
            "person": person.pk,
            "generated_at": _ENCODER.default(generated_at),
            "sections": index_sections,
        }
        archive.writestr("index.json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("README.txt", readme(generated_at=generated_at, delimiter=delimiter, keep_hours=keep_hours))
    return counts


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def readme(*, generated_at: dt.datetime, delimiter: str, keep_hours: int | None) -> str:
    separator = _("semicolons") if delimiter == ";" else _("commas")
    lines = [
        _("Your personal data held by Concord"),
        "",
        _("Generated at %(when)s (UTC, ISO 8601).") % {"when": _ENCODER.default(generated_at)},
        "",
        _(
            "index.json lists every kind of data Concord may hold about a person: its title, why it is held, "
            "what erasure does with it, and how many rows of it concern you."
        ),
        _(
            "For each kind with rows about you there are two files with the same rows: NAME.json (for programs) "
            "and NAME.csv (for spreadsheets). Their columns are the names of the fields."
        ),
        _(
            "The CSV files are UTF-8, with cells separated by %(separator)s. A cell that would start with "
            "=, +, -, @ or a tab starts with ' so that no spreadsheet runs it as a formula."
        )
        % {"separator": separator},
        _("Dates and times are ISO 8601, in UTC."),
        _(
            "Anonymous questionnaire answers are not in this export: they are not linked to anyone, so nobody "
            "can find them again, not even for you."
        ),
    ]
    if keep_hours:
        lines.append(_("The download is kept for %(hours)s hours after it was made.") % {"hours": keep_hours})
    return "\n".join(lines) + "\n"
