"""Reads for results and exports: plain rows handed to ``reflections.results``; a fixed number of
queries whatever the number of responses."""

from collections.abc import Iterable

from django.db.models import Count
from django.utils.translation import gettext as _

from exercises.models import RunTeam
from reflections import results
from reflections.models import Administration, Answer, Question, Response
from reflections.services.reminders import administration_members


def question_rows(*, administration: Administration) -> list[results.QuestionRow]:
    """The questionnaire's questions in its own language; two queries."""
    questions = Question.objects.filter(questionnaire_id=administration.questionnaire_id).select_related("objective")
    return [
        results.QuestionRow(
            id=q.pk,
            kind=q.kind,
            text=q.text,
            objective=str(q.objective) if q.objective else "",
            scale_max=q.scale_max,
            low_label=q.low_label,
            high_label=q.high_label,
            choices=tuple((c.key, c.label) for c in q.choices.all()),
        )
        for q in questions.prefetch_related("choices").order_by("order")
    ]


def answer_rows(*, administration: Administration) -> list[results.AnswerRow]:
    """Every answer, by random response key (never by submission); one query."""
    rows = (
        Answer.objects.filter(response__administration=administration)
        .order_by("response_id", "question_id")
        .values_list("response_id", "response__team_id", "question_id", "text", "number", "choices", "yes")
    )
    return [
        results.AnswerRow(
            response=str(response),
            team=team,
            question=question,
            text=text or "",
            number=number,
            choices=tuple(str(c) for c in (choices or []) if isinstance(c, str)),
            yes=yes,
        )
        for response, team, question, text, number, choices, yes in rows
    ]


def _team_counts(*, administration: Administration) -> dict[int, int]:
    counted = (
        Response.objects.filter(administration=administration, team__isnull=False)
        .values("team_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["team_id"]: row["n"] for row in counted}


def _team_names(team_ids: Iterable[int]) -> dict[int, str]:
    return {team.pk: str(team) for team in RunTeam.objects.filter(pk__in=list(team_ids)).select_related("team_role")}


def pre_administration(*, administration: Administration) -> Administration | None:
    """For a post administration: the same questionnaire's pre administration in the same cohort."""
    if administration.stage != Administration.Stage.POST:
        return None
    return (
        Administration.objects.filter(
            questionnaire_id=administration.questionnaire_id,
            cohort_id=administration.cohort_id,
            stage=Administration.Stage.PRE,
        )
        .order_by("-opens_at", "-pk")
        .first()
    )


def administration_results(*, administration: Administration) -> results.Results:
    """The aggregated results (only counts below an anonymous questionnaire's threshold); at most eleven
    queries, however many responses there are."""
    anonymous = administration.questionnaire.is_anonymous
    respondents = Response.objects.filter(administration=administration).count()
    members = administration_members(administration=administration).count()
    minimum = administration.min_respondents
    if not results.threshold_met(respondents=respondents, min_respondents=minimum, anonymous=anonymous):
        return results.Results(
            respondents=respondents, members=members, min_respondents=minimum, anonymous=anonymous, shown=False
        )
    questions = question_rows(administration=administration)
    team_counts = _team_counts(administration=administration)
    outcome = results.aggregate(
        questions=questions,
        answers=answer_rows(administration=administration),
        respondents=respondents,
        members=members,
        min_respondents=minimum,
        anonymous=anonymous,
        team_names=_team_names(team_counts),
        team_respondents=team_counts,
        yes=_("Yes"),
        no=_("No"),
    )
    outcome.prepost = prepost_for(administration=administration, questions=questions)
    return outcome


def prepost_for(
    *, administration: Administration, questions: list[results.QuestionRow] | None = None
) -> list[results.ObjectiveChange]:
    """The change per objective from the pre administration to this post one, when both may be shown."""
    pre = pre_administration(administration=administration)
    if pre is None:
        return []
    anonymous = administration.questionnaire.is_anonymous
    counts = dict(
        Response.objects.filter(administration__in=[pre, administration])
        .values_list("administration_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for adm in (pre, administration):
        met = results.threshold_met(
            respondents=counts.get(adm.pk, 0), min_respondents=adm.min_respondents, anonymous=anonymous
        )
        if not met:
            return []
    questions = questions if questions is not None else question_rows(administration=administration)
    return results.prepost_changes(
        questions, answer_rows(administration=pre), answer_rows(administration=administration)
    )


def export_table(*, administration: Administration) -> tuple[list[str], list[list[object]]] | None:
    """One row per response, one column per question, choices as labels in the questionnaire's language;
    no person (but a named questionnaire's respondent), no time finer than the day, rows by random key.
    ``None`` when an anonymous administration has too few respondents to be shown."""
    anonymous = administration.questionnaire.is_anonymous
    minimum = administration.min_respondents
    responses = list(
        Response.objects.filter(administration=administration)
        .order_by("id")
        .values_list(
            "id",
            "team_id",
            "submitted_on",
            "source",
            "completion__participant__user__first_name",
            "completion__participant__user__last_name",
        )
        if not anonymous
        else Response.objects.filter(administration=administration)
        .order_by("id")
        .values_list("id", "team_id", "submitted_on", "source")
    )
    if not results.threshold_met(respondents=len(responses), min_respondents=minimum, anonymous=anonymous):
        return None
    questions = [q for q in question_rows(administration=administration) if q.kind != results.SECTION]
    team_counts = _team_counts(administration=administration)
    shown_teams = _team_names(team for team, n in team_counts.items() if n >= minimum)
    by_response: dict[str, dict[int, results.AnswerRow]] = {}
    for answer in answer_rows(administration=administration):
        by_response.setdefault(answer.response, {})[answer.question] = answer
    headers = [_("Day"), _("Source"), _("Team")]
    if not anonymous:
        headers.insert(0, _("Respondent"))
    headers += [q.text for q in questions]
    source_labels = dict(Response.Source.choices)
    rows: list[list[object]] = []
    for row in responses:
        key, team, day, source = row[0], row[1], row[2], str(row[3])
        cells: list[object] = [
            day.isoformat() if day else "",  # type: ignore[union-attr]
            str(source_labels.get(source, source)),
            shown_teams.get(team, "") if isinstance(team, int) else "",
        ]
        if not anonymous:
            cells.insert(0, " ".join(str(part) for part in row[4:] if part))
        answers = by_response.get(str(key), {})
        for q in questions:
            cells.append(_cell(q, answers.get(q.id)))
        rows.append(cells)
    return headers, rows


def _cell(question: results.QuestionRow, answer: results.AnswerRow | None) -> object:
    if answer is None:
        return ""
    if question.kind == results.TEXT:
        return answer.text
    if question.kind == results.SCALE:
        return answer.number if answer.number is not None else ""
    if question.kind == results.YES_NO:
        return "" if answer.yes is None else (_("Yes") if answer.yes else _("No"))
    labels = dict(question.choices)
    return " | ".join(labels[k] for k in answer.choices if k in labels)
