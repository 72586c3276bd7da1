"""The printable blank questionnaire for a paper session: data in, PDF bytes out, no database.

Text is drawn in the fonts of ``core.pdf`` (Polish, Romanian ș ț and Bulgarian print), NFC-normalised.
"""

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from core.pdf import BOLD, REGULAR, nfc, register_fonts

MARGIN = 18 * mm
BOX = 4 * mm


@dataclass
class BlankQuestion:
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    points: int = 0
    low_label: str = ""
    high_label: str = ""
    choices: list[str] = field(default_factory=list)


@dataclass
class BlankLabels:
    """The sheet's own words, already translated by the caller."""

    required: str
    yes: str
    no: str
    anonymity: str
    page: str


class _Sheet:
    def __init__(self, canvas: Canvas, labels: BlankLabels) -> None:
        self.canvas, self.labels = canvas, labels
        self.width, self.height = A4
        self.y = self.height - MARGIN
        self.page = 1

    def need(self, height: float) -> None:
        if self.y - height < MARGIN + 8 * mm:
            self.footer()
            self.canvas.showPage()
            self.page += 1
            self.y = self.height - MARGIN

    def footer(self) -> None:
        self.canvas.setFont(REGULAR, 8)
        self.canvas.drawRightString(self.width - MARGIN, MARGIN / 2, f"{self.labels.page} {self.page}")

    def lines(self, text: str, *, font: str = REGULAR, size: float = 10, indent: float = 0) -> None:
        for paragraph in nfc(text).splitlines() or [""]:
            for line in _wrap(paragraph, font, size, self.width - 2 * MARGIN - indent):
                self.need(size * 1.4)
                self.canvas.setFont(font, size)
                self.canvas.drawString(MARGIN + indent, self.y - size, line)
                self.y -= size * 1.4

    def box(self, x: float, label: str, *, size: float = 10) -> float:
        """A tick box with its label at ``x`` on the current line; the x after it."""
        self.canvas.rect(x, self.y - BOX - 1, BOX, BOX)
        self.canvas.setFont(REGULAR, size)
        self.canvas.drawString(x + BOX + 2 * mm, self.y - size, nfc(label))
        return x + BOX + 4 * mm + pdfmetrics.stringWidth(nfc(label), REGULAR, size)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(" "), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and pdfmetrics.stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return lines


def blank_questionnaire_pdf(
    *, title: str, introduction: str, subtitle: str, questions: list[BlankQuestion], labels: BlankLabels
) -> bytes:
    """A4 pages with every question and a box for each scale point, choice and yes/no, lines for text."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(nfc(title))
    sheet = _Sheet(canvas, labels)
    sheet.lines(title, font=BOLD, size=16)
    sheet.lines(subtitle, size=9)
    sheet.y -= 2 * mm
    sheet.lines(labels.anonymity, size=9)
    if introduction:
        sheet.y -= 2 * mm
        sheet.lines(introduction, size=10)
    sheet.y -= 4 * mm
    number = 0
    for question in questions:
        if question.kind == "section":
            sheet.need(14 * mm)
            sheet.y -= 3 * mm
            sheet.lines(question.text, font=BOLD, size=13)
            if question.help_text:
                sheet.lines(question.help_text, size=9)
            continue
        number += 1
        sheet.need(20 * mm)
        suffix = f"  ({labels.required})" if question.required else ""
        sheet.lines(f"{number}. {question.text}{suffix}", font=BOLD, size=10.5)
        if question.help_text:
            sheet.lines(question.help_text, size=9, indent=5 * mm)
        sheet.y -= 1 * mm
        if question.kind == "text":
            for _line in range(4):
                sheet.need(8 * mm)
                sheet.y -= 8 * mm
                canvas.line(MARGIN + 5 * mm, sheet.y, sheet.width - MARGIN, sheet.y)
        elif question.kind == "scale":
            sheet.need(12 * mm)
            x = MARGIN + 5 * mm
            if question.low_label:
                canvas.setFont(REGULAR, 8)
                canvas.drawString(x, sheet.y - 8, nfc(f"1 = {question.low_label}"))
                sheet.y -= 11
            for point in range(1, question.points + 1):
                x = sheet.box(x, str(point))
            sheet.y -= 6 * mm
            if question.high_label:
                canvas.setFont(REGULAR, 8)
                canvas.drawString(MARGIN + 5 * mm, sheet.y - 8, nfc(f"{question.points} = {question.high_label}"))
                sheet.y -= 11
        elif question.kind in ("single", "multiple"):
            for label in question.choices:
                sheet.need(7 * mm)
                sheet.box(MARGIN + 5 * mm, label)
                sheet.y -= 6 * mm
        elif question.kind == "yes_no":
            sheet.need(7 * mm)
            x = sheet.box(MARGIN + 5 * mm, labels.yes)
            sheet.box(x + 4 * mm, labels.no)
            sheet.y -= 6 * mm
        sheet.y -= 4 * mm
    sheet.footer()
    canvas.save()
    return buffer.getvalue()
