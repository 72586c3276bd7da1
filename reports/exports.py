"""The report's tables for CSV and XLSX, from a ``reports.data.RunReport`` (no ORM).

``core.tabular.table_write`` writes them, neutralising formula-looking cells and dropping control
characters; the CSV delimiter is the person's (``accounts.exports.export_delimiter``), chosen by the caller.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tabular import table_write
from reports.data import RunReport

Table = tuple[list[str], list[list[Any]]]


def observations_table(report: RunReport) -> Table:
    headers = [_("Time"), _("Objective"), _("Team"), _("Phase"), _("Rating"), _("Observation"), _("Shareable")]
    if not report.shareable:
        headers.append(_("Author"))
    rows = []
    for section in report.objectives:
        for o in section.observations:
            row: list[Any] = [o.observed_at, o.objective, o.team, o.phase, o.rating, o.text, o.shareable]
            if not report.shareable:
                row.append(o.author)
            rows.append(row)
    rows.sort(key=lambda r: r[0])
    return headers, rows


def messages_table(report: RunReport) -> Table:
    """Who informed whom: one row per sender and recipient pair (a message to three counts in three)."""
    headers = [_("From"), _("To"), _("Messages"), _("Read"), _("Replied"), _("Median first reply (s)")]
    rows: list[list[Any]] = []
    exchange = report.exchange
    for line in exchange.rows:
        for column, cell in zip(exchange.columns, line.cells, strict=True):
            if cell is not None:
                rows.append([line.sender, column, cell.count, cell.read, cell.replied, cell.median_reply_seconds])
    return headers, rows


def injects_table(report: RunReport) -> Table:
    """One row per inject and team it went to (one row for an inject no team received)."""
    headers = [
        _("Number"),
        _("Inject"),
        _("Status"),
        _("Released at"),
        _("Team"),
        _("Acknowledged at"),
        _("Seconds to acknowledge"),
        _("First related message at"),
        _("Sent by"),
    ]
    rows: list[list[Any]] = []
    for inject in report.timeline.injects:
        first = inject.first_message
        tail = [first.sent_at, first.sender] if first else [None, ""]
        head = [inject.number, inject.title, inject.status, inject.released_at]
        if not inject.acks:
            rows.append([*head, "", None, None, *tail])
        for ack in inject.acks:
            rows.append([*head, ack.team, ack.acknowledged_at, ack.seconds, *tail])
    return headers, rows


def reflections_table(report: RunReport) -> Table:
    """One row per question and answer option (a scale's points, choices, yes/no) with counts and the mean;
    questionnaires below their anonymity threshold give one row with the respondent count only."""
    headers = [
        _("Questionnaire"),
        _("Question"),
        _("Objective"),
        _("Answered"),
        _("Mean"),
        _("Option"),
        _("Count"),
        _("Percent"),
    ]
    rows: list[list[Any]] = []
    for reflection in report.reflections:
        if not reflection.shown:
            rows.append([reflection.title, _("(hidden: %(count)s responses)") % {"count": reflection.respondents}])
            rows[-1] += ["", None, None, "", None, None]
            continue
        for q in reflection.questions:
            for bar in q.bars or ():
                rows.append(
                    [reflection.title, q.question, q.objective, q.answered, q.mean, bar.label, bar.count, bar.percent]
                )
    return headers, rows


EXPORTS: dict[str, Callable[[RunReport], Table]] = {
    "observations": observations_table,
    "messages": messages_table,
    "injects": injects_table,
    "reflections": reflections_table,
}
# What each export is called on the report page.
EXPORT_LABELS = {
    "observations": gettext_lazy("Observations"),
    "messages": gettext_lazy("Messages"),
    "injects": gettext_lazy("Injects"),
    "reflections": gettext_lazy("Reflections"),
}
FORMATS: Sequence[str] = ("csv", "xlsx")


def export_bytes(report: RunReport, *, what: str, fmt: str, delimiter: str = ",") -> bytes:
    """The ``what`` table (a key of ``EXPORTS``) as CSV or XLSX bytes."""
    headers, rows = EXPORTS[what](report)
    return table_write(headers=headers, rows=rows, fmt=fmt, delimiter=delimiter)


def export_filename(report: RunReport, *, what: str) -> str:
    return f"run-{report.overview.run_id}-{what}"
