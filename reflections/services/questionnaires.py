"""Building questionnaires: their fields, questions and choices, order, translations, templates and copies.

Every write locks the questionnaire row, checks the rule, and refuses bad input with field errors before
anything is written. Once answers exist, a question or choice that was answered keeps its kind, scale and
key: wording may change, nothing answered may go.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.decorators import audited
from core.exceptions import ApplicationError
from reflections.models import Answer, Choice, Question, Questionnaire
from trainings.models import LearningObjective

QUESTIONNAIRE_FIELDS = ("title", "introduction", "is_anonymous", "is_template", "language", "exercise")
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
SCALE_POINTS = (5, 7)
MAX_CHOICES = 30
QUESTION_TEXT_MAX = 10_000
TRANSLATED_QUESTION_FIELDS = ("text", "help_text", "low_label", "high_label")
# Orders are moved out of the way by this much while renumbering, so the unique (questionnaire, order)
# constraint never sees two rows on one number, not even inside one UPDATE.
_RENUMBER_OFFSET = 100_000


@dataclass
class ChoiceInput:
    label: str
    key: str = ""  # derived from the label when empty
    translations: dict[str, str] = field(default_factory=dict)


@dataclass
class QuestionInput:
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    objective: LearningObjective | None = None
    scale_max: int | None = None
    low_label: str = ""
    high_label: str = ""
    choices: list[ChoiceInput] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


def _check(user: Any, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise ApplicationError(_("You may not change this questionnaire."))


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def _clean(instance: Any, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ApplicationError.from_validation_error(error) from None


def questionnaire_has_answers(*, questionnaire: Questionnaire) -> bool:
    return Answer.objects.filter(question__questionnaire=questionnaire).exists()


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- the questionnaire ------------------------------------------------------------------------------


@transaction.atomic
@audited("questionnaire.create")
def questionnaire_create(*, by: Any, data: dict[str, Any]) -> Questionnaire:
    _check(by, "reflections.add_questionnaire")
    questionnaire = Questionnaire(created_by=by, **{k: v for k, v in data.items() if k in QUESTIONNAIRE_FIELDS})
    _clean(questionnaire, exclude=["created_by", "duplicated_from"])
    questionnaire.save()
    return questionnaire


@transaction.atomic
@audited("questionnaire.update", target="questionnaire")
def questionnaire_update(*, questionnaire: Questionnaire, by: Any, data: dict[str, Any]) -> Questionnaire:
    questionnaire = _locked(questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    changes = {k: v for k, v in data.items() if k in QUESTIONNAIRE_FIELDS}
    if (
        "is_anonymous" in changes
        and changes["is_anonymous"] != questionnaire.is_anonymous
        and questionnaire.administrations.filter(responses__isnull=False).exists()
    ):
        raise ApplicationError(
            field_errors={
                "is_anonymous": [_("People have answered under the promise given; anonymity cannot change now.")]
            }
        )
    for name, value in changes.items():
        setattr(questionnaire, name, value)
    _clean(questionnaire, exclude=["created_by", "duplicated_from"])
    questionnaire.save()
    return questionnaire


@transaction.atomic
@audited("questionnaire.delete", target="questionnaire")
def questionnaire_delete(*, questionnaire: Questionnaire, by: Any) -> None:
    questionnaire = _locked(questionnaire)
    _check(by, "reflections.delete_questionnaire", questionnaire)
    if questionnaire.administrations.exists():
        raise ApplicationError(_("This questionnaire has been given to a cohort or run; delete those first."))
    questionnaire.delete()


@transaction.atomic
@audited("questionnaire.duplicate")
def questionnaire_duplicate(
    *, questionnaire: Questionnaire, by: Any, title: str = "", is_template: bool = False
) -> Questionnaire:
    """A copy with every question, choice and translation, made by ``by`` (new from a template, too)."""
    _check(by, "reflections.add_questionnaire")
    if not by.has_perm("reflections.view_questionnaire", questionnaire):
        raise ApplicationError(_("You may not copy this questionnaire."))
    copy = Questionnaire(
        title=(title or _("Copy of %(title)s") % {"title": questionnaire.title})[:200],
        introduction=questionnaire.introduction,
        is_anonymous=questionnaire.is_anonymous,
        is_template=is_template,
        language=questionnaire.language,
        exercise=questionnaire.exercise,
        duplicated_from=questionnaire,
        created_by=by,
    )
    _clean(copy, exclude=["created_by", "duplicated_from"])
    copy.save()
    questions = list(questionnaire.questions.prefetch_related("choices").order_by("order"))
    new_questions = Question.objects.bulk_create(
        [
            Question(
                questionnaire=copy,
                order=q.order,
                kind=q.kind,
                text=q.text,
                help_text=q.help_text,
                required=q.required,
                objective_id=q.objective_id,
                scale_max=q.scale_max,
                low_label=q.low_label,
                high_label=q.high_label,
                translations=q.translations,
            )
            for q in questions
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(question=new, order=c.order, key=c.key, label=c.label, translations=c.translations)
            for old, new in zip(questions, new_questions, strict=True)
            for c in old.choices.all()
        ]
    )
    return copy


# --- questions --------------------------------------------------------------------------------------


def _validate_question(data: QuestionInput, *, existing: Question | None = None) -> dict[str, list[str]]:
    """Field errors of one question's input (empty when it is good)."""
    errors: dict[str, list[str]] = {}
    if data.kind not in Question.Kind.values:
        errors["kind"] = [_("Choose a kind of question.")]
        return errors
    if not data.text.strip():
        errors["text"] = [_("Write the question.")]
    elif len(data.text) > QUESTION_TEXT_MAX:
        errors["text"] = [_("At most %(limit)s characters.") % {"limit": QUESTION_TEXT_MAX}]
    if len(data.help_text) > 255:
        errors["help_text"] = [_("At most 255 characters.")]
    if data.kind == Question.Kind.SECTION and data.required:
        errors["required"] = [_("A section heading is not answered, so it cannot be required.")]
    if data.kind == Question.Kind.SCALE and data.scale_max not in SCALE_POINTS:
        errors["scale_max"] = [_("A scale has 5 or 7 points.")]
    for name in ("low_label", "high_label"):
        if len(getattr(data, name)) > 80:
            errors[name] = [_("At most 80 characters.")]
    if data.kind in CHOICE_KINDS:
        choice_errors = _validate_choices(data.choices)
        if choice_errors:
            errors["choices"] = choice_errors
    elif data.choices:
        errors["choices"] = [_("Only single and multiple choice questions have choices.")]
    translation_errors = _validate_question_translations(data.translations)
    if translation_errors:
        errors["translations"] = translation_errors
    if existing is not None:
        answered = Answer.objects.filter(question=existing)
        if answered.exists():
            if data.kind != existing.kind:
                errors.setdefault("kind", []).append(_("This question has answers; its kind cannot change."))
            if data.kind == Question.Kind.SCALE and data.scale_max != existing.scale_max:
                errors.setdefault("scale_max", []).append(_("This scale has answers; its points cannot change."))
            if data.kind in CHOICE_KINDS:
                kept = {c.key or _derived_key(c.label) for c in data.choices}
                lost = sorted(_answered_keys(existing) - kept)
                if lost:
                    errors.setdefault("choices", []).append(
                        _("These choices have answers and cannot be removed: %(keys)s.") % {"keys": ", ".join(lost)}
                    )
    return errors


def _answered_keys(question: Question) -> set[str]:
    keys: set[str] = set()
    for chosen in Answer.objects.filter(question=question).values_list("choices", flat=True):
        keys.update(str(k) for k in chosen or [])
    return keys


def _derived_key(label: str) -> str:
    return (slugify(label)[:40].strip("-") or "choice")[:40]


def _validate_choices(choices: list[ChoiceInput]) -> list[str]:
    errors: list[str] = []
    if len(choices) < 2:
        errors.append(_("Give at least two choices."))
    if len(choices) > MAX_CHOICES:
        errors.append(_("At most %(count)s choices.") % {"count": MAX_CHOICES})
    seen: set[str] = set()
    for number, choice in enumerate(choices, start=1):
        if not choice.label.strip():
            errors.append(_("Choice %(number)s has no label.") % {"number": number})
        elif len(choice.label) > 200:
            errors.append(_("Choice %(number)s: at most 200 characters.") % {"number": number})
        key = choice.key or _derived_key(choice.label)
        if choice.key and (slugify(choice.key) != choice.key or len(choice.key) > 40):
            errors.append(
                _("Choice %(number)s: a key is at most 40 lower-case letters, digits and hyphens.") % {"number": number}
            )
        elif key in seen:
            errors.append(_("Two choices have the key “%(key)s”; give one a key of its own.") % {"key": key})
        seen.add(key)
        bad = [lang for lang in choice.translations if lang not in language_codes()]
        if bad:
            errors.append(_("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(bad))})
        if any(len(str(label)) > 200 for label in choice.translations.values()):
            errors.append(_("Choice %(number)s: a translation is over 200 characters.") % {"number": number})
    return errors


def _validate_question_translations(translations: dict[str, dict[str, str]]) -> list[str]:
    errors: list[str] = []
    limits = {"text": 10_000, "help_text": 255, "low_label": 80, "high_label": 80}
    for lang, values in translations.items():
        if lang not in language_codes():
            errors.append(_("Unknown language: %(code)s.") % {"code": lang})
            continue
        for name, value in values.items():
            if name not in limits:
                errors.append(_("Unknown translated field: %(name)s.") % {"name": name})
            elif len(str(value)) > limits[name]:
                errors.append(
                    _("%(language)s %(field)s: at most %(limit)s characters.")
                    % {"language": lang, "field": name, "limit": limits[name]}
                )
    return errors


def _clean_translations(translations: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    cleaned = {}
    for lang, values in translations.items():
        kept = {k: str(v).strip() for k, v in values.items() if str(v).strip()}
        if kept:
            cleaned[lang] = kept
    return cleaned


def _apply_question(question: Question, data: QuestionInput) -> None:
    question.kind = data.kind
    question.text = data.text.strip()
    question.help_text = data.help_text.strip()
    question.required = data.required and data.kind != Question.Kind.SECTION
    question.objective = data.objective
    question.scale_max = data.scale_max if data.kind == Question.Kind.SCALE else None
    scale = data.kind == Question.Kind.SCALE
    question.low_label = data.low_label.strip() if scale else ""
    question.high_label = data.high_label.strip() if scale else ""
    question.translations = _clean_translations(data.translations)


def _save_choices(question: Question, choices: list[ChoiceInput]) -> None:
    """Replace the question's choices, keeping the row (and so the key) of each key that stays."""
    if question.kind not in CHOICE_KINDS:
        question.choices.all().delete()
        return
    existing = {c.key: c for c in question.choices.all()}
    wanted = [(c.key or _derived_key(c.label), c) for c in choices]
    question.choices.exclude(key__in=[key for key, _c in wanted]).delete()
    question.choices.update(order=F("order") + _RENUMBER_OFFSET)
    for order, (key, data) in enumerate(wanted, start=1):
        row = existing.get(key) or Choice(question=question, key=key)
        row.order = order
        row.label = data.label.strip()
        row.translations = {k: str(v).strip() for k, v in data.translations.items() if str(v).strip()}
        row.save()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(field_errors=errors)


@transaction.atomic
@audited("question.create", fields=None)
def question_create(*, questionnaire: Questionnaire, by: Any, data: QuestionInput) -> Question:
    """Add a question at the end."""
    questionnaire = _locked(questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    _raise(_validate_question(data))
    last = questionnaire.questions.aggregate(last=Max("order"))["last"] or 0
    question = Question(questionnaire=questionnaire, order=last + 1)
    _apply_question(question, data)
    question.save()
    _save_choices(question, data.choices)
    return question


@transaction.atomic
@audited("question.update", target="question", fields=None)
def question_update(*, question: Question, by: Any, data: QuestionInput) -> Question:
    questionnaire = _locked(question.questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    question = Question.objects.get(pk=question.pk)
    _raise(_validate_question(data, existing=question))
    _apply_question(question, data)
    question.save()
    _save_choices(question, data.choices)
    return question


@transaction.atomic
@audited("question.delete", target="question")
def question_delete(*, question: Question, by: Any) -> None:
    questionnaire = _locked(question.questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    if Answer.objects.filter(question_id=question.pk).exists():
        raise ApplicationError(_("This question has answers and cannot be deleted; you may still change its wording."))
    Question.objects.filter(pk=question.pk).delete()
    _renumber(questionnaire, list(questionnaire.questions.order_by("order").values_list("pk", flat=True)))


def _renumber(questionnaire: Questionnaire, ordered_ids: list[int]) -> None:
    """Number the questions 1, 2, 3… in ``ordered_ids`` order, in two UPDATEs that never collide."""
    questionnaire.questions.update(order=F("order") + _RENUMBER_OFFSET)
    rows = [Question(pk=pk, order=number) for number, pk in enumerate(ordered_ids, start=1)]
    Question.objects.bulk_update(rows, ["order"])


@transaction.atomic
@audited("question.move", target="question")
def question_move(*, question: Question, by: Any, up: bool) -> Question:
    """Swap a question with the one before (``up``) or after it; at either end nothing moves."""
    questionnaire = _locked(question.questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    ids = list(questionnaire.questions.order_by("order").values_list("pk", flat=True))
    if question.pk not in ids:
        raise ApplicationError(_("This question is not in the questionnaire."))
    at = ids.index(question.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(ids):
        ids[at], ids[other] = ids[other], ids[at]
        _renumber(questionnaire, ids)
    return Question.objects.get(pk=question.pk)


@transaction.atomic
@audited("questionnaire.reorder", target="questionnaire")
def questions_reorder(*, questionnaire: Questionnaire, by: Any, ordered_ids: list[int]) -> None:
    """Put the questions in the given order; the ids must be exactly the questionnaire's."""
    questionnaire = _locked(questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    ids = list(questionnaire.questions.values_list("pk", flat=True))
    if sorted(ids) != sorted(ordered_ids) or len(set(ordered_ids)) != len(ordered_ids):
        raise ApplicationError(field_errors={"order": [_("Give every question of the questionnaire once.")]})
    _renumber(questionnaire, ordered_ids)


# --- translations -----------------------------------------------------------------------------------


@transaction.atomic
@audited("questionnaire.translations_save", target="questionnaire")
def questionnaire_translations_save(
    *,
    questionnaire: Questionnaire,
    by: Any,
    questions: dict[int, dict[str, dict[str, str]]],
    choices: dict[int, dict[str, str]],
) -> None:
    """Replace the translations of the given questions ({id: {lang: {field: text}}}) and choices
    ({id: {lang: label}}). Ids outside the questionnaire or unknown languages are refused."""
    questionnaire = _locked(questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    own_questions = {q.pk: q for q in questionnaire.questions.all()}
    own_choices = {c.pk: c for c in Choice.objects.filter(question__questionnaire=questionnaire)}
    errors: dict[str, list[str]] = {}
    for pk, translations in questions.items():
        if pk not in own_questions:
            errors.setdefault("questions", []).append(_("Question %(id)s is not in this questionnaire.") % {"id": pk})
            continue
        problems = _validate_question_translations(translations)
        if problems:
            errors[f"question_{pk}"] = problems
    for pk, labels in choices.items():
        if pk not in own_choices:
            errors.setdefault("choices", []).append(_("Choice %(id)s is not in this questionnaire.") % {"id": pk})
            continue
        bad = [lang for lang in labels if lang not in language_codes()]
        if bad:
            errors[f"choice_{pk}"] = [_("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(bad))}]
        elif any(len(str(v)) > 200 for v in labels.values()):
            errors[f"choice_{pk}"] = [_("At most 200 characters.")]
    _raise(errors)
    changed_questions = []
    for pk, translations in questions.items():
        question = own_questions[pk]
        question.translations = _clean_translations(translations)
        changed_questions.append(question)
    Question.objects.bulk_update(changed_questions, ["translations"])
    changed_choices = []
    for pk, labels in choices.items():
        choice = own_choices[pk]
        choice.translations = {k: str(v).strip() for k, v in labels.items() if str(v).strip()}
        changed_choices.append(choice)
    Choice.objects.bulk_update(changed_choices, ["translations"])


# --- all questions at once (the API's nested questions) ---------------------------------------------


@transaction.atomic
@audited("questionnaire.questions_save", target="questionnaire")
def questionnaire_questions_save(
    *, questionnaire: Questionnaire, by: Any, items: list[tuple[int | None, QuestionInput]]
) -> list[Question]:
    """Make the questionnaire's questions exactly ``items``, in that order: an item with an id changes that
    question, one without adds a question, and questions left out are deleted (refused when answered)."""
    questionnaire = _locked(questionnaire)
    _check(by, "reflections.change_questionnaire", questionnaire)
    existing = {q.pk: q for q in questionnaire.questions.prefetch_related("choices")}
    messages: list[str] = []
    ids = [pk for pk, _data in items if pk is not None]
    if len(set(ids)) != len(ids):
        messages.append(_("A question is listed twice."))
    for number, (pk, data) in enumerate(items, start=1):
        if pk is not None and pk not in existing:
            messages.append(_("Question %(number)s: no such question here.") % {"number": number})
            continue
        for name, problems in _validate_question(data, existing=existing.get(pk) if pk else None).items():
            messages.extend(
                _("Question %(number)s, %(field)s: %(message)s") % {"number": number, "field": name, "message": m}
                for m in problems
            )
    removed = [pk for pk in existing if pk not in ids]
    if removed and Answer.objects.filter(question_id__in=removed).exists():
        messages.append(_("Questions with answers cannot be removed; you may still change their wording."))
    if messages:
        raise ApplicationError(field_errors={"questions": messages})
    Question.objects.filter(pk__in=removed).delete()
    questionnaire.questions.update(order=F("order") + _RENUMBER_OFFSET)
    saved = []
    for order, (pk, data) in enumerate(items, start=1):
        question = existing[pk] if pk is not None else Question(questionnaire=questionnaire)
        question.order = order
        _apply_question(question, data)
        question.save()
        _save_choices(question, data.choices)
        saved.append(question)
    return saved
