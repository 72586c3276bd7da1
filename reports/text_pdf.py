"""A plain text PDF (headings and lines, page numbers, a "restricted" footer, metadata) in the
certificates' fonts, and the cohort report drawn with it. No ORM: data in, bytes out.

Kept apart from ``reports.pdf`` (the designed run report, f-reppdf) so that replacing that module
leaves the cohort report's PDF working.
"""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.pdf import BOLD, REGULAR, nfc, register_fonts
from reports.data import CohortReport


def minutes(seconds: float | None) -> str:
    """Seconds as m:ss; "–" for none."""
    if seconds is None:
        return "–"
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def render_cohort_report(report: CohortReport, *, invariant: bool = False) -> bytes:
    lines: list[tuple[str, bool]] = [(_("Cohort report: %(cohort)s") % {"cohort": report.cohort}, True)]
    lines += [(f"{r.exercise} ({r.status}): {r.messages} / {r.observations}", False) for r in report.runs]
    lines += [(f"{o.label}: n={o.ratings.count} mean={o.ratings.mean}", False) for o in report.objectives]
    lines.append((_("Median first reply: %(time)s") % {"time": minutes(report.median_first_reply_seconds)}, False))
    lines += [(p, False) for p in report.problems]
    return lines_pdf(lines, title=lines[0][0], invariant=invariant)


def lines_pdf(lines: list[tuple[str, bool]], *, title: str, invariant: bool) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1 if invariant else 0)
    canvas.setTitle(nfc(title))
    canvas.setAuthor("Concord")
    canvas.setSubject(str(_("After-action report")))
    width, height = A4
    page = 1
    y = height - 20 * mm

    def footer() -> None:
        canvas.setFont(REGULAR, 8)
        canvas.drawString(20 * mm, 10 * mm, str(_("RESTRICTED – for the participating agencies")))
        canvas.drawRightString(width - 20 * mm, 10 * mm, str(page))

    for text, heading in lines:
        if y < 20 * mm:
            footer()
            canvas.showPage()
            page += 1
            y = height - 20 * mm
        canvas.setFont(BOLD if heading else REGULAR, 12 if heading else 9)
        canvas.drawString(20 * mm, y, nfc(text)[:110])
        y -= 7 * mm if heading else 5 * mm
    footer()
    canvas.save()
    return buffer.getvalue()
