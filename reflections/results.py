"""Aggregating an administration's answers into results: pure code over plain rows (no queries).

Answers are stored by choice key (and scale point, yes/no), so answers given in any language merge.
An anonymous administration shows nothing below ``min_respondents`` respondents, and a team's own
figures only from ``min_respondents`` of that team's responses up (named ones follow the same team rule).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

# Question kinds (reflections.models.Question.Kind), repeated here so this module needs no models.
SECTION, TEXT, SCALE, SINGLE, MULTIPLE, YES_NO = "section", "text", "scale", "single", "multiple", "yes_no"


@dataclass(frozen=True)
class QuestionRow:
    id: int
    kind: str
    text: str
    objective: str  # the objective's label, "" when none
    scale_max: int | None = None
    low_label: str = ""
    high_label: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (key, label) in the questionnaire's order


@dataclass(frozen=True)
class AnswerRow:
    response: str  # the response's random key
    team: int | None
    question: int
    text: str = ""
    number: int | None = None
    choices: tuple[str, ...] = ()
    yes: bool | None = None


@dataclass
class Bar:
    label: str
    count: int
    percent: int  # of those who answered the question


@dataclass
class QuestionResult:
    question: QuestionRow
    answered: int
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass
class TeamResult:
    name: str
    respondents: int
    questions: list[QuestionResult]


@dataclass
class TextGroup:
    objective: str
    questions: list[QuestionResult]


@dataclass
class ObjectiveChange:
    objective: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)


@dataclass
class Results:
    respondents: int
    members: int
    min_respondents: int
    anonymous: bool
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)
    teams: list[TeamResult] = field(default_factory=list)
    hidden_teams: int = 0  # teams with answers but too few to be shown on their own
    prepost: list[ObjectiveChange] = field(default_factory=list)

    @property
    def text_groups(self) -> list[TextGroup]:
        """Free-text answers grouped by learning objective (those without one last)."""
        groups: dict[str, list[QuestionResult]] = defaultdict(list)
        for result in self.questions:
            if result.kind == TEXT and result.texts:
                groups[result.question.objective].append(result)
        named = sorted(k for k in groups if k)
        return [TextGroup(objective=k, questions=groups[k]) for k in [*named, *([""] if "" in groups else [])]]


def threshold_met(*, respondents: int, min_respondents: int, anonymous: bool) -> bool:
    return not anonymous or respondents >= min_respondents


def _bars(counts: Counter, options: list[tuple[Any, str]], answered: int) -> list[Bar]:
    return [
        Bar(label=label, count=counts[key], percent=round(100 * counts[key] / answered) if answered else 0)
        for key, label in options
    ]


def question_result(question: QuestionRow, answers: list[AnswerRow], *, yes: str, no: str) -> QuestionResult:
    """One question's distribution (scale, choices, yes/no) or its texts; ``answers`` are this question's."""
    if question.kind == TEXT:
        texts = [a.text for a in answers if a.text.strip()]
        return QuestionResult(question=question, answered=len(texts), texts=sorted(texts, key=str.casefold))
    if question.kind == SCALE:
        numbers = [a.number for a in answers if a.number is not None]
        points = [(n, str(n)) for n in range(1, (question.scale_max or 5) + 1)]
        mean = round(sum(numbers) / len(numbers), 2) if numbers else None
        return QuestionResult(
            question=question, answered=len(numbers), bars=_bars(Counter(numbers), points, len(numbers)), mean=mean
        )
    if question.kind == YES_NO:
        given = [a.yes for a in answers if a.yes is not None]
        return QuestionResult(
            question=question, answered=len(given), bars=_bars(Counter(given), [(True, yes), (False, no)], len(given))
        )
    if question.kind in (SINGLE, MULTIPLE):
        known = {key for key, _label in question.choices}
        chosen = [a for a in answers if any(k in known for k in a.choices)]
        counts = Counter(k for a in chosen for k in set(a.choices) if k in known)
        return QuestionResult(
            question=question, answered=len(chosen), bars=_bars(counts, list(question.choices), len(chosen))
        )
    return QuestionResult(question=question, answered=0)


def _question_results(questions: list[QuestionRow], answers: list[AnswerRow], **labels: str) -> list[QuestionResult]:
    by_question: dict[int, list[AnswerRow]] = defaultdict(list)
    for answer in answers:
        by_question[answer.question].append(answer)
    return [question_result(q, by_question[q.id], **labels) for q in questions if q.kind != SECTION]


def objective_means(questions: list[QuestionRow], answers: list[AnswerRow]) -> dict[str, float]:
    """The mean of each objective's scale answers."""
    objective_of = {q.id: q.objective for q in questions if q.kind == SCALE and q.objective}
    numbers: dict[str, list[int]] = defaultdict(list)
    for answer in answers:
        if answer.question in objective_of and answer.number is not None:
            numbers[objective_of[answer.question]].append(answer.number)
    return {objective: round(sum(v) / len(v), 2) for objective, v in numbers.items() if v}


def prepost_changes(
    questions: list[QuestionRow], before: list[AnswerRow], after: list[AnswerRow]
) -> list[ObjectiveChange]:
    """Before → after per objective, for the objectives answered both times."""
    pre, post = objective_means(questions, before), objective_means(questions, after)
    return [ObjectiveChange(objective=o, before=pre[o], after=post[o]) for o in sorted(pre.keys() & post.keys())]


def aggregate(
    *,
    questions: list[QuestionRow],
    answers: list[AnswerRow],
    respondents: int,
    members: int,
    min_respondents: int,
    anonymous: bool,
    team_names: dict[int, str],
    team_respondents: dict[int, int],
    yes: str,
    no: str,
) -> Results:
    """The results, or only the counts when an anonymous administration has too few respondents."""
    shown = threshold_met(respondents=respondents, min_respondents=min_respondents, anonymous=anonymous)
    results = Results(
        respondents=respondents, members=members, min_respondents=min_respondents, anonymous=anonymous, shown=shown
    )
    if not shown:
        return results
    results.questions = _question_results(questions, answers, yes=yes, no=no)
    by_team: dict[int, list[AnswerRow]] = defaultdict(list)
    for answer in answers:
        if answer.team is not None:
            by_team[answer.team].append(answer)
    for team_id, count in sorted(team_respondents.items(), key=lambda item: team_names.get(item[0], "")):
        if count >= min_respondents:
            scored = [q for q in questions if q.kind in (SCALE, SINGLE, MULTIPLE, YES_NO)]
            results.teams.append(
                TeamResult(
                    name=team_names.get(team_id, ""),
                    respondents=count,
                    questions=_question_results(scored, by_team[team_id], yes=yes, no=no),
                )
            )
        else:
            results.hidden_teams += 1
    return results
