"""The programme view's reads: the figures funders ask for, cohort by cohort over time, in six queries
whatever the number of cohorts. The arithmetic is ``reports.programme_stats``'s.

Who: coordinators (superusers are coordinators), over every cohort, as they see every cohort elsewhere
(``trainings.access.sees_everything``).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from conduct.models import MessageRecipient, Observation
from participants.models import Enrolment
from reflections.models import Administration, Answer, Question
from reports import programme_stats as stats
from trainings.models import AgencyKind, Cohort, LearningObjective

TABLES = ("ratings", "confidence", "response_times", "trained", "trained_totals")


@dataclass
class Table:
    """One of the programme's tables: a title, column headings and rows of plain values (cohort first)."""

    name: str
    title: str
    headers: list[str]
    keys: list[str]  # the API's field names, one per column
    rows: list[list[Any]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.keys, row, strict=True)) for row in self.rows]


@dataclass
class Programme:
    cohorts: list[stats.CohortRow]
    ratings: Table
    confidence: Table
    response_times: Table
    trained: Table
    trained_totals: Table

    def table(self, name: str) -> Table:
        return getattr(self, name)


def programme_cohorts(*, user: Any) -> list[stats.CohortRow]:
    return [
        stats.CohortRow(pk, name, start, end)
        for pk, name, start, end in Cohort.objects.visible_to(user)
        .order_by("start_date", "name", "pk")
        .values_list("pk", "name", "start_date", "end_date")
    ]


def _kind(value: str) -> str:
    return str(AgencyKind(value).label) if value in AgencyKind.values else (value or _("No agency"))


def programme_figures(*, user: Any, today: dt.date | None = None) -> Programme:
    """Every table of the programme view for the cohorts the user sees (coordinators: all)."""
    today = today or timezone.localdate()
    cohorts = programme_cohorts(user=user)
    ids = [cohort.id for cohort in cohorts]
    names = {cohort.id: cohort.name for cohort in cohorts}

    rating_rows = [
        stats.RatingRow(row["run__cohort_id"], row["objective_id"], row["rated"], row["total"])
        for row in Observation.objects.filter(run__cohort_id__in=ids, rating__isnull=False, objective__isnull=False)
        .values("run__cohort_id", "objective_id")
        .annotate(rated=Count("id"), total=Sum("rating"))
        .order_by()
    ]
    administrations = [
        stats.AdministrationRow(pk, cohort_id, stage, respondents, minimum)
        for pk, cohort_id, stage, respondents, minimum in Administration.objects.filter(
            cohort_id__in=ids, stage__in=(Administration.Stage.PRE, Administration.Stage.POST)
        )
        .annotate(respondents=Count("responses"))
        .values_list("pk", "cohort_id", "stage", "respondents", "min_respondents")
        .order_by()
    ]
    shown = [row.id for row in stats.shown_administrations(administrations)]
    scale_rows = [
        stats.ScaleRow(row["response__administration_id"], row["question__objective_id"], row["n"], row["total"])
        for row in Answer.objects.filter(
            response__administration_id__in=shown,
            question__kind=Question.Kind.SCALE,
            question__objective__isnull=False,
            number__isnull=False,
        )
        .values("response__administration_id", "question__objective_id")
        .annotate(n=Count("id"), total=Sum("number"))
        .order_by()
    ]
    reply_rows = [
        stats.ReplyRow(cohort_id, from_kind or "", to_kind or "", sent_at, replied_at)
        for cohort_id, from_kind, to_kind, sent_at, replied_at in MessageRecipient.objects.filter(
            message__run__cohort_id__in=ids,
            message__sender_team__isnull=False,
            team__isnull=False,
            first_reply_at__isnull=False,
        )
        .values_list(
            "message__run__cohort_id",
            "message__sender_team__team_role__agency_kind",
            "team__team_role__agency_kind",
            "message__sent_at",
            "first_reply_at",
        )
        .order_by()
        if replied_at is not None  # filtered above; the guard tells the type checker
    ]
    trained_rows = [
        stats.TrainedRow(cohort_id, participant_id, kind or "", (country or agency_country or "").upper())
        for cohort_id, participant_id, kind, country, agency_country in Enrolment.objects.filter(
            Q(status=Enrolment.Status.COMPLETED) | Q(status=Enrolment.Status.ENROLLED, cohort__end_date__lt=today),
            cohort_id__in=ids,
        )
        .values_list(
            "cohort_id",
            "participant_id",
            "participant__agency__kind",
            "participant__country",
            "participant__agency__country",
        )
        .order_by()
    ]
    ratings = stats.objective_ratings(rating_rows)
    confidence = stats.confidence_changes(administrations, scale_rows)
    objective_ids = {r.objective_id for r in ratings} | {c.objective_id for c in confidence}
    objectives = {o.pk: str(o) for o in LearningObjective.objects.filter(pk__in=objective_ids)}
    order = {pk: index for index, pk in enumerate(ids)}
    trained = stats.trained(trained_rows)

    return Programme(
        cohorts=cohorts,
        ratings=Table(
            "ratings",
            _("Objectives' average observation ratings"),
            [_("Cohort"), _("Objective"), _("Rated observations"), _("Average rating (1–5)")],
            ["cohort", "objective", "rated", "mean"],
            [
                [names[r.cohort_id], objectives.get(r.objective_id, ""), r.rated, r.mean]
                for r in sorted(ratings, key=lambda r: (order[r.cohort_id], objectives.get(r.objective_id, "")))
            ],
        ),
        confidence=Table(
            "confidence",
            _("Confidence before and after the course"),
            [
                _("Cohort"),
                _("Objective"),
                _("Before"),
                _("After"),
                _("Change"),
                _("Respondents before"),
                _("Respondents after"),
            ],
            ["cohort", "objective", "before", "after", "change", "respondents_before", "respondents_after"],
            [
                [
                    names[c.cohort_id],
                    objectives.get(c.objective_id, ""),
                    c.before,
                    c.after,
                    c.change,
                    c.respondents_before,
                    c.respondents_after,
                ]
                for c in sorted(confidence, key=lambda c: (order[c.cohort_id], objectives.get(c.objective_id, "")))
            ],
        ),
        response_times=Table(
            "response_times",
            _("Response times between agency kinds"),
            [_("Cohort"), _("From"), _("To"), _("Replies"), _("Median seconds to a first reply")],
            ["cohort", "from_kind", "to_kind", "replies", "median_seconds"],
            [
                [names[t.cohort_id], _kind(t.from_kind), _kind(t.to_kind), t.replies, t.median_seconds]
                for t in sorted(stats.response_times(reply_rows), key=lambda t: order[t.cohort_id])
            ],
        ),
        trained=Table(
            "trained",
            _("Participants trained per agency kind and country"),
            [_("Cohort"), _("Agency kind"), _("Country"), _("Participants")],
            ["cohort", "agency_kind", "country", "participants"],
            [
                [names[t.cohort_id], _kind(t.agency_kind), t.country, t.participants]
                for t in sorted(trained, key=lambda t: order[t.cohort_id])
            ],
        ),
        trained_totals=Table(
            "trained_totals",
            _("Participants trained across the cohorts"),
            [_("Agency kind"), _("Country"), _("Participants")],
            ["agency_kind", "country", "participants"],
            [[_kind(kind), country, n] for (kind, country), n in stats.trained_totals(trained).items()],
        ),
    )
