"""A questionnaire's questions as a CSV/XLSX table, and back: one row per question.

Columns: order, kind, text, help_text, required, objective (a learning objective's code), scale_points,
low_label, high_label, choices (``key=label`` separated by ``|``), and per other language
``text_<lang>``, ``help_text_<lang>``, ``low_label_<lang>``, ``high_label_<lang>``, ``choices_<lang>``.
Uploads go through ``core.tabular`` (the roster's limits). Any refused cell refuses the whole file.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from audit.decorators import audited
from core.exceptions import ApplicationError
from core.tabular import CellError, Row, table_read, table_response, table_write, unneutralise
from core.text import excerpt
from reflections.models import Question, Questionnaire
from reflections.services import questionnaires as building
from reflections.services.questionnaires import ChoiceInput, QuestionInput
from trainings.models import LearningObjective

BASE_COLUMNS = (
    "order",
    "kind",
    "text",
    "help_text",
    "required",
    "objective",
    "scale_points",
    "low_label",
    "high_label",
    "choices",
)
TRANSLATED_COLUMNS = ("text", "help_text", "low_label", "high_label", "choices")
REQUIRED = ("kind", "text")
MULTILINE = ("text", "help_text", *(f"text_{code}" for code in building.language_codes()))
_DIGITS = re.compile(r"[0-9]{1,6}")
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


class QuestionImportError(ApplicationError):
    """The file's rows were refused; ``cells`` names each refused cell. Nothing was written."""

    def __init__(self, cells: list[CellError]) -> None:
        self.cells = cells
        messages = [
            _("Line %(line)s, column %(column)s: %(message)s")
            % {"line": c.line, "column": c.column, "message": c.message}
            for c in cells
        ]
        super().__init__(field_errors={"file": messages})


@dataclass
class ParsedQuestion:
    line: int
    order: int
    data: QuestionInput


@dataclass
class _Reader:
    row: Row
    errors: list[CellError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.row.line, column, message))

    def text(self, column: str) -> str:
        return unneutralise(self.row.get(column).strip())


def _columns(questionnaire: Questionnaire | None = None) -> list[str]:
    others = [code for code in building.language_codes() if questionnaire is None or code != questionnaire.language]
    return [*BASE_COLUMNS, *(f"{name}_{code}" for code in others for name in TRANSLATED_COLUMNS)]


def _choices_cell(pairs: list[tuple[str, str]]) -> str:
    return " | ".join(f"{key}={label}" for key, label in pairs)


def questions_rows(*, questionnaire: Questionnaire) -> tuple[list[str], list[list[Any]]]:
    """The header and one row per question (two queries)."""
    headers = _columns(questionnaire)
    rows = []
    questions = questionnaire.questions.select_related("objective").prefetch_related("choices").order_by("order")
    for q in questions:
        choices = list(q.choices.all())
        values: dict[str, Any] = {
            "order": q.order,
            "kind": q.kind,
            "text": q.text,
            "help_text": q.help_text,
            "required": "yes" if q.required else "no",
            "objective": q.objective.code if q.objective else "",
            "scale_points": q.scale_max or "",
            "low_label": q.low_label,
            "high_label": q.high_label,
            "choices": _choices_cell([(c.key, c.label) for c in choices]),
        }
        for lang, translated in (q.translations or {}).items():
            for name in ("text", "help_text", "low_label", "high_label"):
                values[f"{name}_{lang}"] = translated.get(name, "")
        for lang in building.language_codes():
            pairs = [(c.key, c.translations[lang]) for c in choices if (c.translations or {}).get(lang)]
            if pairs:
                values[f"choices_{lang}"] = _choices_cell(pairs)
        rows.append([values.get(h, "") for h in headers])
    return headers, rows


def questions_export(*, questionnaire: Questionnaire, fmt: str, delimiter: str = ",") -> bytes:
    headers, rows = questions_rows(questionnaire=questionnaire)
    return table_write(headers=headers, rows=rows, fmt=fmt, delimiter=delimiter)


def questions_response(*, questionnaire: Questionnaire, fmt: str, delimiter: str = ",") -> HttpResponse:
    headers, rows = questions_rows(questionnaire=questionnaire)
    return table_response(
        filename=f"questionnaire-{questionnaire.pk}-questions", headers=headers, rows=rows, fmt=fmt, delimiter=delimiter
    )


def _parse_choices(reader: _Reader, column: str) -> list[tuple[str, str]] | None:
    text = reader.text(column)
    if not text:
        return []
    pairs = []
    for part in text.split("|"):
        part = part.strip()
        if not part:
            continue
        key, sep, label = part.partition("=")
        if not sep:
            key, label = "", part  # a bare label: its key is derived from it
        pairs.append((key.strip(), label.strip()))
    return pairs


def questions_parse(*, content: bytes, filename: str, size: int | None = None) -> list[ParsedQuestion]:
    """Read the questions of a file; raises ``TabularError`` for an unreadable file and
    ``QuestionImportError`` with every refused cell otherwise."""
    table = table_read(content=content, filename=filename, required=REQUIRED, multiline=MULTILINE, size=size)
    known = set(_columns())
    errors: list[CellError] = [e for e in table.errors if e.column in known]
    objectives = {o.code.casefold(): o for o in LearningObjective.objects.all()}
    parsed: list[ParsedQuestion] = []
    for index, row in enumerate(table.rows, start=1):
        if not any(v.strip() for v in row.values.values()):
            continue
        reader = _Reader(row)
        order_text = reader.text("order")
        if order_text and not _DIGITS.fullmatch(order_text):
            reader.error("order", _("Write a whole number, e.g. 3."))
        order = int(order_text) if _DIGITS.fullmatch(order_text) else index
        kind = reader.text("kind").casefold().replace(" ", "_").replace("-", "_")
        if kind not in Question.Kind.values:
            reader.error(
                "kind",
                _("“%(value)s” is not a kind; write one of %(kinds)s.")
                % {"value": excerpt(kind, 40), "kinds": ", ".join(Question.Kind.values)},
            )
        required_text = reader.text("required").casefold()
        if required_text not in _TRUE | _FALSE:
            reader.error("required", _("Write yes or no."))
        objective = None
        code = reader.text("objective")
        if code:
            objective = objectives.get(code.casefold())
            if objective is None:
                reader.error("objective", _("No learning objective has the code “%(code)s”.") % {"code": excerpt(code)})
        points_text = reader.text("scale_points")
        scale_max = None
        if points_text:
            if points_text in ("5", "7"):
                scale_max = int(points_text)
            else:
                reader.error("scale_points", _("A scale has 5 or 7 points."))
        elif kind == Question.Kind.SCALE:
            scale_max = 5
        pairs = _parse_choices(reader, "choices") or []
        translations: dict[str, dict[str, str]] = {}
        choice_translations: dict[str, dict[str, str]] = {}
        for lang in building.language_codes():
            values = {
                name: reader.text(f"{name}_{lang}")
                for name in ("text", "help_text", "low_label", "high_label")
                if reader.text(f"{name}_{lang}")
            }
            if values:
                translations[lang] = values
            for key, label in _parse_choices(reader, f"choices_{lang}") or []:
                choice_translations.setdefault(key, {})[lang] = label
        keys = {key or building._derived_key(label) for key, label in pairs}
        for key in choice_translations:
            if key not in keys:
                reader.error("choices", _("A translation names the choice “%(key)s”, which is not one.") % {"key": key})
        data = QuestionInput(
            kind=kind,
            text=reader.text("text"),
            help_text=reader.text("help_text"),
            required=required_text in _TRUE,
            objective=objective,
            scale_max=scale_max,
            low_label=reader.text("low_label"),
            high_label=reader.text("high_label"),
            choices=[
                ChoiceInput(
                    key=key,
                    label=label,
                    translations=choice_translations.get(key or building._derived_key(label), {}),
                )
                for key, label in pairs
            ],
            translations=translations,
        )
        if not reader.errors:
            for column, messages in building._validate_question(data).items():
                for message in messages:
                    reader.error(_column_of(column), message)
        errors.extend(reader.errors)
        parsed.append(ParsedQuestion(line=row.line, order=order, data=data))
    if not parsed and not errors:
        errors.append(CellError(1, "kind", _("The file has no questions.")))
    if errors:
        raise QuestionImportError(errors)
    return parsed


def _column_of(field_name: str) -> str:
    return {"scale_max": "scale_points"}.get(field_name, field_name)


@transaction.atomic
@audited("questionnaire.import", target="questionnaire")
def questions_import(
    *,
    questionnaire: Questionnaire,
    by: Any,
    content: bytes,
    filename: str,
    size: int | None = None,
    replace: bool = False,
) -> list[Question]:
    """Add the file's questions after the questionnaire's own, in the file's ``order``; with ``replace`` the
    questionnaire's questions are replaced (refused once it has answers). All or nothing."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not by.has_perm("reflections.change_questionnaire", locked):
        raise ApplicationError(_("You may not change this questionnaire."))
    parsed = questions_parse(content=content, filename=filename, size=size)
    if replace:
        if building.questionnaire_has_answers(questionnaire=locked):
            raise ApplicationError(
                field_errors={"replace": [_("This questionnaire has answers; add the questions instead of replacing.")]}
            )
        locked.questions.all().delete()
    created = []
    for item in sorted(parsed, key=lambda p: (p.order, p.line)):
        created.append(building.question_create(questionnaire=locked, by=by, data=item.data))
    return created
