"""The programme view's figures from plain rows: no ORM, so the page, the CSV and the API agree, and tests
check them against hand-made numbers. ``reports.programme`` fetches the rows.

- Objectives' average observation ratings per cohort.
- Pre/post confidence per cohort and objective: the mean of the scale answers to questions tied to the
  objective, in the cohort's "before" administrations against its "after" ones. An administration with
  fewer respondents than its ``min_respondents`` does not count at all (named ones too: these figures go
  to funders), so no figure rests on fewer people than the threshold.
- Response times between agency kinds: the median time to a first reply (as ``conduct.summary`` counts it)
  of messages from a team of one agency kind to a team of another (mixed teams have no kind: left out).
- Participants trained per agency kind and country: completed enrolments, and enrolments still "enrolled"
  in a cohort that has ended.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from conduct.summary import median

PRE, POST = "pre", "post"


@dataclass(frozen=True)
class CohortRow:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class RatingRow:
    """The observations of one cohort about one objective: how many were rated, and the sum of ratings."""

    cohort_id: int
    objective_id: int
    rated: int
    total: int


@dataclass(frozen=True)
class AdministrationRow:
    id: int
    cohort_id: int
    stage: str  # "pre" or "post"
    respondents: int
    min_respondents: int


@dataclass(frozen=True)
class ScaleRow:
    """Scale answers of one administration about one objective: how many, and their sum."""

    administration_id: int
    objective_id: int
    answers: int
    total: int


@dataclass(frozen=True)
class ReplyRow:
    cohort_id: int
    from_kind: str
    to_kind: str
    sent_at: dt.datetime
    first_reply_at: dt.datetime


@dataclass(frozen=True)
class TrainedRow:
    cohort_id: int
    participant_id: int
    agency_kind: str  # "" when the person has no agency
    country: str  # the person's, else their agency's; "" when neither is known


# --- figures out -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveRating:
    cohort_id: int
    objective_id: int
    rated: int
    mean: float


@dataclass(frozen=True)
class ConfidenceChange:
    cohort_id: int
    objective_id: int
    before: float
    after: float
    respondents_before: int
    respondents_after: int

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)


@dataclass(frozen=True)
class ResponseTime:
    cohort_id: int
    from_kind: str
    to_kind: str
    replies: int
    median_seconds: float


@dataclass(frozen=True)
class Trained:
    cohort_id: int
    agency_kind: str
    country: str
    participants: int


def objective_ratings(rows: Iterable[RatingRow]) -> list[ObjectiveRating]:
    return [
        ObjectiveRating(row.cohort_id, row.objective_id, row.rated, round(row.total / row.rated, 2))
        for row in rows
        if row.rated
    ]


def shown_administrations(rows: Iterable[AdministrationRow]) -> list[AdministrationRow]:
    """The pre and post administrations with at least their threshold of respondents."""
    return [
        row for row in rows if row.stage in (PRE, POST) and row.respondents >= row.min_respondents and row.respondents
    ]


def confidence_changes(
    administrations: Iterable[AdministrationRow], scales: Iterable[ScaleRow]
) -> list[ConfidenceChange]:
    """Before → after per cohort and objective, where both stages have answers from shown administrations."""
    shown = {row.id: row for row in shown_administrations(administrations)}
    sums: dict[tuple[int, int, str], list[int]] = defaultdict(lambda: [0, 0])
    people: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for scale in scales:
        administration = shown.get(scale.administration_id)
        if administration is None or not scale.answers:
            continue
        key = (administration.cohort_id, scale.objective_id, administration.stage)
        sums[key][0] += scale.total
        sums[key][1] += scale.answers
        people[key].add(administration.id)
    respondents = {
        key: sum(shown[pk].respondents for pk in administration_ids) for key, administration_ids in people.items()
    }
    changes = []
    for cohort_id, objective_id in sorted({(c, o) for c, o, _ in sums}):
        before, after = sums.get((cohort_id, objective_id, PRE)), sums.get((cohort_id, objective_id, POST))
        if not before or not after:
            continue
        changes.append(
            ConfidenceChange(
                cohort_id=cohort_id,
                objective_id=objective_id,
                before=round(before[0] / before[1], 2),
                after=round(after[0] / after[1], 2),
                respondents_before=respondents[(cohort_id, objective_id, PRE)],
                respondents_after=respondents[(cohort_id, objective_id, POST)],
            )
        )
    return changes


def response_times(rows: Iterable[ReplyRow]) -> list[ResponseTime]:
    """The median seconds to a first reply per cohort and pair of agency kinds (sender → recipient)."""
    seconds: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for row in rows:
        if row.from_kind and row.to_kind:
            seconds[(row.cohort_id, row.from_kind, row.to_kind)].append(
                int((row.first_reply_at - row.sent_at).total_seconds())
            )
    return [
        ResponseTime(cohort_id, from_kind, to_kind, len(values), median(values) or 0.0)
        for (cohort_id, from_kind, to_kind), values in sorted(seconds.items())
    ]


def trained(rows: Iterable[TrainedRow]) -> list[Trained]:
    """People trained per cohort, agency kind and country (each person once per cohort)."""
    people: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    for row in rows:
        people[(row.cohort_id, row.agency_kind, row.country)].add(row.participant_id)
    return [Trained(c, kind, country, len(ids)) for (c, kind, country), ids in sorted(people.items())]


def trained_totals(figures: Iterable[Trained]) -> dict[tuple[str, str], int]:
    """Across the cohorts: people trained per (agency kind, country)."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for figure in figures:
        totals[(figure.agency_kind, figure.country)] += figure.participants
    return dict(sorted(totals.items()))
