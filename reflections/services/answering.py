"""Answering a questionnaire: drafts saved as one goes, one submission, paper answers typed in.

Answers come in one shape from the page, the API and the drafts: a mapping of question id (a string)
to a value — text, a scale point, a choice key, a list of choice keys, or true/false. ``answers_clean``
checks them against the questions and gives each refusal under ``q_<id>``.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from audit.decorators import audited
from core.exceptions import ApplicationError
from exercises.models import TeamMembership
from participants.models import Participant
from reflections.models import Administration, Answer, Completion, Draft, Question, Response

TEXT_MAX_LENGTH = 5000
_DIGITS = re.compile(r"^[0-9]{1,2}$")
_YES = {"yes", "true", "1", "on"}
_NO = {"no", "false", "0"}


def field_name(question: Question) -> str:
    return f"q_{question.pk}"


def administration_state(*, administration: Administration, now: dt.datetime | None = None) -> str:
    """``"upcoming"``, ``"open"`` or ``"closed"``."""
    now = now or timezone.now()
    if now < administration.opens_at:
        return "upcoming"
    if now >= administration.closes_at:
        return "closed"
    return "open"


def is_member(*, administration: Administration, participant: Participant) -> bool:
    """Members of the administration's cohort answer it (a run's administration: the run cohort's)."""
    return participant.user.cohort_memberships.filter(cohort_id=administration.cohort_id).exists()


def answerable_questions(*, administration: Administration) -> list[Question]:
    return list(administration.questionnaire.questions.exclude(kind=Question.Kind.SECTION).prefetch_related("choices"))


def _clean_one(question: Question, value: Any) -> tuple[Any, str]:
    """The stored value (None when empty) and an error message ("" when fine)."""
    if value is None or value == "" or value == []:
        return None, ""
    kind = question.kind
    if kind == Question.Kind.TEXT:
        if not isinstance(value, str):
            return None, _("Write text here.")
        text = value.strip()
        if len(text) > TEXT_MAX_LENGTH:
            return None, _("Write at most %(max)d characters (this has %(count)d).") % {
                "max": TEXT_MAX_LENGTH,
                "count": len(text),
            }
        return text or None, ""
    if kind == Question.Kind.SCALE:
        points = question.scale_max or 5
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, str) and _DIGITS.match(value.strip()):
            number = int(value.strip())
        else:
            number = None
        if number is None or not 1 <= number <= points:
            return None, _("Choose a point from 1 to %(max)d.") % {"max": points}
        return number, ""
    keys = [choice.key for choice in question.choices.all()]
    if kind == Question.Kind.SINGLE:
        if not isinstance(value, str) or value not in keys:
            return None, _("Choose one of the options given.")
        return value, ""
    if kind == Question.Kind.MULTIPLE:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v in keys for v in values):
            return None, _("Choose only among the options given.")
        chosen = set(values)
        return [key for key in keys if key in chosen], ""
    if kind == Question.Kind.YES_NO:
        if isinstance(value, bool):
            return value, ""
        if isinstance(value, str) and value.strip().lower() in _YES | _NO:
            return value.strip().lower() in _YES, ""
        return None, _("Answer yes or no.")
    return None, _("A section heading takes no answer.")


def answers_clean(*, questions: Sequence[Question], answers: Mapping[str, Any], required: bool) -> dict[str, Any]:
    """The answers by question id (a string), empty ones left out; ``required`` enforces required questions.

    Raises ApplicationError with one message per refused question (``q_<id>``), and under ``answers``
    for ids that are not questions of this questionnaire.
    """
    if not isinstance(answers, Mapping):
        raise ApplicationError(field_errors={"answers": [_("Give the answers as an object by question id.")]})
    by_id = {str(question.pk): question for question in questions}
    errors: dict[str, list[str]] = {}
    unknown = sorted(str(key) for key in answers if str(key) not in by_id)
    if unknown:
        errors["answers"] = [_("These are not questions of this questionnaire: %(ids)s.") % {"ids": ", ".join(unknown)}]
    cleaned: dict[str, Any] = {}
    for key, question in by_id.items():
        value, error = _clean_one(question, answers.get(key))
        if error:
            errors[field_name(question)] = [error]
        elif value is not None:
            cleaned[key] = value
        elif required and question.required:
            errors[field_name(question)] = [_("This question needs an answer.")]
    if errors:
        raise ApplicationError(_("Some answers need another look."), field_errors=errors)
    return cleaned


def _language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ApplicationError(field_errors={"language": [_("Choose one of the languages offered.")]})
    return language


def _locked(administration: Administration) -> Administration:
    # Every draft save and submission locks the administration's row: one at a time per questionnaire.
    return (
        Administration.objects.select_for_update().select_related("questionnaire", "cohort").get(pk=administration.pk)
    )


def _check_may_answer(administration: Administration, participant: Participant, now: dt.datetime) -> None:
    if not is_member(administration=administration, participant=participant):
        raise ApplicationError(_("You can only answer questionnaires of your own cohorts."))
    state = administration_state(administration=administration, now=now)
    if state == "upcoming":
        raise ApplicationError(_("This questionnaire is not open yet."))
    if state == "closed":
        raise ApplicationError(_("This questionnaire has closed; answers can no longer be changed."))
    if Completion.objects.filter(administration=administration, participant=participant).exists():
        raise ApplicationError(_("You have already answered this questionnaire; it is answered once."))


@transaction.atomic
@audited("reflection.draft_save", target="administration", fields=None)
def draft_save(
    *,
    administration: Administration,
    participant: Participant,
    answers: Mapping[str, Any],
    language: str = "",
    now: dt.datetime | None = None,
) -> Draft:
    """Keep one's answers so far (replacing the previous draft); required questions may stay empty."""
    now = now or timezone.now()
    administration = _locked(administration)
    _check_may_answer(administration, participant, now)
    language = _language(language or user_language(participant.user, fallback=translation.get_language()))
    questions = answerable_questions(administration=administration)
    cleaned = answers_clean(questions=questions, answers=answers, required=False)
    draft, _created = Draft.objects.update_or_create(
        administration=administration, participant=participant, defaults={"answers": cleaned, "language": language}
    )
    return draft


def _response_write(
    *,
    administration: Administration,
    questions: Sequence[Question],
    cleaned: Mapping[str, Any],
    source: str,
    team_id: int | None,
    day: dt.date,
) -> Response:
    response = Response.objects.create(administration=administration, source=source, team_id=team_id, submitted_on=day)
    kinds = {str(question.pk): question.kind for question in questions}
    rows = []
    for key, value in cleaned.items():
        answer = Answer(response=response, question_id=int(key))
        kind = kinds[key]
        if kind == Question.Kind.YES_NO:
            answer.yes = value
        elif kind == Question.Kind.SCALE:
            answer.number = value
        elif kind == Question.Kind.MULTIPLE:
            answer.choices = value
        elif kind == Question.Kind.SINGLE:
            answer.choices = [value]
        else:
            answer.text = value
        rows.append(answer)
    Answer.objects.bulk_create(rows)
    return response


def _team_id(administration: Administration, participant: Participant) -> int | None:
    if administration.run_id is None:
        return None
    return (
        TeamMembership.objects.filter(run_id=administration.run_id, enrolment__participant=participant)
        .values_list("team_id", flat=True)
        .first()
    )


def _day(administration: Administration, now: dt.datetime) -> dt.date:
    # The cohort's calendar day: no time of day is ever stored with a response.
    return now.astimezone(administration.cohort.tz).date()


def _completion_create(
    *, administration: Administration, participant: Participant, response: Response | None, now: dt.datetime
) -> Completion:
    try:
        with transaction.atomic():
            return Completion.objects.create(
                administration=administration, participant=participant, completed_at=now, response=response
            )
    except IntegrityError:
        raise ApplicationError(_("You have already answered this questionnaire; it is answered once.")) from None


@transaction.atomic
@audited("reflection.submit", target="administration", fields=None)
def response_submit(
    *,
    administration: Administration,
    participant: Participant,
    answers: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Response:
    """Submit one's answers once: checked in full, stored without the person (anonymous) and the draft gone.

    Refusals (not a member, not open, closed, answered already, a bad or missing answer) write nothing.
    """
    now = now or timezone.now()
    administration = _locked(administration)
    _check_may_answer(administration, participant, now)
    questions = answerable_questions(administration=administration)
    cleaned = answers_clean(questions=questions, answers=answers, required=True)
    response = _response_write(
        administration=administration,
        questions=questions,
        cleaned=cleaned,
        source=Response.Source.ONLINE,
        team_id=_team_id(administration, participant),
        day=_day(administration, now),
    )
    linked = None if administration.questionnaire.is_anonymous else response
    _completion_create(administration=administration, participant=participant, response=linked, now=now)
    Draft.objects.filter(administration=administration, participant=participant).delete()
    return response


@transaction.atomic
@audited("reflection.paper_enter", target="administration", fields=None)
def paper_response_enter(
    *,
    administration: Administration,
    by: Any,
    answers: Mapping[str, Any],
    participant: Participant | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """A facilitator types in one paper answer sheet, once the questionnaire has opened (also after closing).

    Required questions may be blank on paper. An anonymous sheet names nobody; a named questionnaire's
    sheet may name its member from the roster, who is then recorded as having answered (once).
    """
    now = now or timezone.now()
    administration = _locked(administration)
    if not by.has_perm("reflections.enter_paper_answers", administration):
        raise ApplicationError(_("Only the cohort's facilitators can type in paper answers."))
    if administration_state(administration=administration, now=now) == "upcoming":
        raise ApplicationError(_("This questionnaire is not open yet."))
    if participant is not None:
        if administration.questionnaire.is_anonymous:
            raise ApplicationError(
                field_errors={"participant": [_("An anonymous questionnaire's answers name nobody.")]}
            )
        if not is_member(administration=administration, participant=participant):
            raise ApplicationError(field_errors={"participant": [_("Choose a member of this cohort.")]})
        if Completion.objects.filter(administration=administration, participant=participant).exists():
            raise ApplicationError(field_errors={"participant": [_("This person has already answered.")]})
    questions = answerable_questions(administration=administration)
    cleaned = answers_clean(questions=questions, answers=answers, required=False)
    if not cleaned:
        raise ApplicationError(_("The sheet has no answers to type in."))
    response = _response_write(
        administration=administration,
        questions=questions,
        cleaned=cleaned,
        source=Response.Source.PAPER,
        team_id=_team_id(administration, participant) if participant is not None else None,
        day=_day(administration, now),
    )
    if participant is not None:
        _completion_create(administration=administration, participant=participant, response=response, now=now)
        Draft.objects.filter(administration=administration, participant=participant).delete()
    return response
