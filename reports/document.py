"""The report PDF's frame: A4 pages, a title page, a table of contents, footers and metadata.

Pure reportlab, no ORM, no gettext: ``reports.pdf`` fills a story of flowables with these helpers and
``build_pdf`` lays it out. The table of contents and "Page X of Y" need the layout twice: a first pass
learns the headings' pages and the page count, a second draws them (a third only when the contents
grew a page). Long tables are cut into chunks so that splitting them across pages stays linear.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from core.pdf import BOLD, REGULAR, nfc, register_fonts

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN
TABLE_CHUNK = 40  # rows per table: a table splits in time proportional to its rows, so keep each small
CELL_CHARS = 1200  # a table row cannot split across pages: longer cell texts are cut (the exports keep them)


def fonts() -> None:
    """The certificates' fonts, plus the family mapping ``<b>`` in paragraphs needs (idempotent)."""
    register_fonts()
    registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    return ParagraphStyle(
        name, **{"fontName": REGULAR, "bulletFontName": REGULAR, "fontSize": 9.5, "leading": 12.5, **kwargs}
    )


STYLES = {
    "body": _style("body", spaceAfter=4),
    "small": _style("small", fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
    "cell": _style("cell", fontSize=8, leading=10),
    "head_cell": _style("head_cell", fontSize=8, leading=10, fontName=BOLD),
    "h1": _style("h1", fontName=BOLD, fontSize=15, leading=19, spaceBefore=6, spaceAfter=8),
    "h2": _style("h2", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4),
    "h3": _style("h3", fontName=BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3),
    "title": _style("title", fontName=BOLD, fontSize=22, leading=28, alignment=TA_CENTER, spaceAfter=14),
    "subtitle": _style("subtitle", fontSize=13, leading=18, alignment=TA_CENTER, spaceAfter=6),
    "marking": _style(
        "marking", fontName=BOLD, fontSize=16, leading=22, alignment=TA_CENTER, textColor=colors.HexColor("#B03A2E")
    ),
    "toc1": _style("toc1", fontSize=10, leading=14, leftIndent=10, firstLineIndent=-10),
    "toc2": _style("toc2", fontSize=9, leading=12, leftIndent=28, firstLineIndent=-10),
    "problem": _style("problem", textColor=colors.HexColor("#8A4B08"), leftIndent=10, bulletIndent=0),
}


def text(value: object) -> str:
    """Paragraph markup for a plain value: NFC, escaped, line breaks kept."""
    return escape(nfc(str(value))).replace("\n", "<br/>")


def clip(value: object, limit: int = CELL_CHARS) -> str:
    value = nfc(str(value))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def para(value: object, style: str = "body") -> Paragraph:
    return Paragraph(text(value), STYLES[style])


class Heading(Paragraph):
    """A heading that enters the table of contents and the PDF outline."""

    def __init__(self, title: str, *, level: int, key: str) -> None:
        super().__init__(f'<a name="{key}"/>{text(title)}', STYLES["h1" if level == 0 else "h2"])
        self.toc_title, self.toc_level, self.toc_key = nfc(title), level, key


class Story:
    """The flowables of a report, with numbered headings (keys are stable, so output is deterministic)."""

    def __init__(self) -> None:
        fonts()  # paragraphs resolve their fonts when they are made
        self.items: list[Flowable] = []
        self._keys = 0

    def add(self, *flowables: Flowable) -> None:
        self.items.extend(flowables)

    def heading(self, title: str, *, level: int = 0) -> None:
        self._keys += 1
        if level == 0:
            self.items.append(CondPageBreak(PAGE_H / 4))
        self.items.append(Heading(title, level=level, key=f"h{self._keys}"))

    def sub(self, title: str) -> None:
        self.items.append(para(title, "h3"))

    def para(self, value: object, style: str = "body") -> None:
        self.items.append(para(value, style))

    def bullets(self, values: Sequence[object], *, style: str = "body") -> None:
        for value in values:
            self.items.append(Paragraph(text(value), STYLES[style], bulletText="•"))

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        empty: str = "",
    ) -> None:
        if not rows:
            if empty:
                self.para(empty, "small")
            return
        head = [Paragraph(text(h), STYLES["head_cell"]) for h in header]
        cells = [
            [c if isinstance(c, Flowable) else Paragraph(text(clip(c)), STYLES["cell"]) for c in row] for row in rows
        ]
        col_widths = list(widths) if widths else [FRAME_W / len(header)] * len(header)
        style = TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR),  # tables default to Helvetica
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDF4")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B0B8C4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
        for start in range(0, len(cells), TABLE_CHUNK):
            table = Table([head, *cells[start : start + TABLE_CHUNK]], colWidths=col_widths, repeatRows=1)
            table.setStyle(style)
            self.items.append(table)
        self.items.append(Spacer(1, 6))

    def pairs(self, rows: Sequence[tuple[str, object]], *, key_width: float = 0.3) -> None:
        """A two-column table of names and values, without a header."""
        cells = [[Paragraph(text(k), STYLES["head_cell"]), Paragraph(text(clip(v)), STYLES["cell"])] for k, v in rows]
        table = Table(cells, colWidths=[FRAME_W * key_width, FRAME_W * (1 - key_width)])
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), REGULAR),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F5F9")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B0B8C4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.items.extend([table, Spacer(1, 6)])

    def figure(self, drawing: Flowable, caption: str = "") -> None:
        parts: list[Flowable] = [drawing]
        if caption:
            parts.append(para(caption, "small"))
        self.items.append(KeepTogether([*parts, Spacer(1, 6)]))


@dataclass(frozen=True)
class Page:
    """What every page repeats, already translated."""

    marking: str  # "RESTRICTED", or "Shareable version — no personal names"
    page: str  # "Page {page}"
    page_of: str  # "Page {page} of {pages}"


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: Sequence[str]


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, *, page: Page, metadata: Metadata, invariant: bool) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=nfc(metadata.title),
            author=nfc(metadata.author),
            subject=nfc(metadata.subject),
            keywords=[nfc(k) for k in metadata.keywords],
            creator="Concord",
            producer="Concord",
            invariant=int(invariant),
            pageCompression=1,
            initialFontName=REGULAR,  # the canvas' default is Helvetica, which every page would reference
        )
        self.page_words = page
        self.page_count = 0  # pages laid out by the last pass
        self.pages_shown = 0  # the total the footers of this pass show
        frame = Frame(MARGIN, MARGIN + 6 * mm, FRAME_W, PAGE_H - 2 * MARGIN - 6 * mm, id="body")
        self.addPageTemplates(
            [
                PageTemplate("title", [frame], onPage=self._footer),
                PageTemplate("body", [frame], onPage=self._footer),
            ]
        )

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:  # type: ignore[override]  # reportlab's is untyped
        self.pages_shown = self.page_count
        super().build(flowables, **kwargs)
        self.page_count = self.page

    def _allSatisfied(self) -> bool:  # reportlab's name
        return bool(super()._allSatisfied()) and self.pages_shown == self.page_count

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's name
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(flowable.toc_title, flowable.toc_key, level=flowable.toc_level)
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_title, self.page, flowable.toc_key))

    def _footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#B0B8C4"))
        canvas.line(MARGIN, MARGIN + 2 * mm, PAGE_W - MARGIN, MARGIN + 2 * mm)
        canvas.setFont(BOLD, 7.5)
        canvas.setFillColor(colors.HexColor("#B03A2E"))
        canvas.drawString(MARGIN, MARGIN - 2 * mm, nfc(self.page_words.marking))
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(colors.black)
        if self.pages_shown:
            number = self.page_words.page_of.format(page=doc.page, pages=self.pages_shown)
        else:
            number = self.page_words.page.format(page=doc.page)
        canvas.drawRightString(PAGE_W - MARGIN, MARGIN - 2 * mm, nfc(number))
        canvas.restoreState()


def contents() -> TableOfContents:
    toc = TableOfContents()
    toc.levelStyles = [STYLES["toc1"], STYLES["toc2"]]
    toc.dotsMinLevel = 0
    toc.tableStyle = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return toc


def title_page(
    *, title: str, lines: Sequence[str], marking: str, generated: str, contents_title: str
) -> list[Flowable]:
    """The title page, then the table of contents on the next page, then the body template."""
    fonts()
    return [
        Spacer(1, 40 * mm),
        para(title, "title"),
        *[para(line, "subtitle") for line in lines],
        Spacer(1, 20 * mm),
        para(marking, "marking"),
        Spacer(1, 10 * mm),
        para(generated, "subtitle"),
        NextPageTemplate("body"),
        PageBreak(),
        para(contents_title, "h1"),
        contents(),
        PageBreak(),
    ]


def build_pdf(story: Story, *, front: list[Flowable], page: Page, metadata: Metadata, invariant: bool) -> bytes:
    fonts()
    buffer = io.BytesIO()
    doc = _Doc(buffer, page=page, metadata=metadata, invariant=invariant)
    doc.multiBuild([*front, *story.items])
    return buffer.getvalue()
