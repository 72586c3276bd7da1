"""Reads for the debrief reports: ``run_report`` and ``cohort_report`` fill ``reports.data``.

The figures come from ``conduct.selectors.run_summary`` (the same code as the run summary page) and
``reflections.selectors.administration_results``; this module only gathers the overview, the hot-wash
board and the reflections, and reshapes. The query count does not depend on the run's size (teams,
people, messages, observations, responses); it grows only with the number of questionnaire
administrations of the run.
"""

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from conduct import summary as cs
from conduct.models import HotwashItem
from conduct.selectors import run_summary
from exercises.models import ExerciseRun, RunTeam, TeamMembership
from reflections import results as rr
from reflections.models import Administration
from reflections.selectors.results import administration_results
from reports import data
from reports.action_selectors import run_improvement_rows
from trainings.models import AgencyKind, Cohort, DeliveryMode, LearningObjective


def stats(values: Sequence[int | float]) -> data.Stats:
    """Count, mean, population standard deviation, min and max (rounded to 2 places)."""
    if not values:
        return data.Stats(count=0, mean=None, stdev=None, minimum=None, maximum=None)
    return data.Stats(
        count=len(values),
        mean=round(statistics.fmean(values), 2),
        stdev=round(statistics.pstdev(values), 2),
        minimum=int(min(values)),
        maximum=int(max(values)),
    )


def improvement_rows(*, run: ExerciseRun, shareable: bool) -> tuple[data.ActionRow, ...]:
    """The run's improvement plan (``reports.action_selectors``, one query); no contact when ``shareable``."""
    return tuple(
        data.ActionRow(
            area=row.area,
            action=row.action,
            agency=row.agency,
            contact="" if shareable else row.contact,
            due=row.due_date,
            status=row.status_label,
        )
        for row in run_improvement_rows(run=run)
    )


# --- pieces ----------------------------------------------------------------------------------------


def _overview(run: ExerciseRun, *, shareable: bool) -> data.Overview:
    cohort = run.cohort
    facilitators = list(cohort.facilitators.order_by("last_name", "first_name"))
    if run.lead_facilitator is not None and run.lead_facilitator not in facilitators:
        facilitators.insert(0, run.lead_facilitator)
    names = (
        tuple(_("Facilitator %(number)s") % {"number": i + 1} for i in range(len(facilitators)))
        if shareable
        else tuple(str(user.get_full_name() or user) for user in facilitators)
    )
    kinds = dict(AgencyKind.choices)
    people: Counter[int] = Counter()
    agencies: Counter[tuple[str, str]] = Counter()
    memberships = TeamMembership.objects.filter(run=run).values_list(
        "team_id", "enrolment__participant__agency__name", "enrolment__participant__agency__kind"
    )
    for team_id, agency, kind in memberships:
        people[team_id] += 1
        label = str(kinds.get(kind, "")) if kind else ""
        agencies[(agency or str(_("No agency given")), label)] += 1
    teams = tuple(
        data.TeamRow(
            id=team.pk,
            label=str(team),
            agency=str(kinds.get(team.team_role.agency_kind, _("Mixed team")))
            if team.team_role.agency_kind
            else str(_("Mixed team")),
            people=people[team.pk],
            planned=team.team_role.planned_size,
        )
        for team in RunTeam.objects.filter(run=run).select_related("team_role").order_by("team_role__number")
    )
    return data.Overview(
        run_id=run.pk,
        title=_("After-action report: %(exercise)s") % {"exercise": run.exercise.name},
        course=str(cohort.course),
        cohort=str(cohort),
        exercise=str(run.exercise.name),
        status=str(run.get_status_display()),
        delivery_mode=str(dict(DeliveryMode.choices).get(cohort.delivery_mode, cohort.delivery_mode)),
        venue=cohort.venue,
        planned_start=getattr(run.session, "starts_at", None),
        started_at=run.started_at,
        finished_at=run.ended_at,
        facilitators=names,
        teams=teams,
        agencies=tuple(
            data.AgencyRow(name=name, kind=kind, people=count)
            for (name, kind), count in sorted(agencies.items(), key=lambda item: item[0][0].casefold())
        ),
    )


def _phase_state(phase: cs.PhaseOutcome, *, run_over: bool) -> str:
    if phase.started_at is None:
        return data.PHASE_NOT_STARTED
    if phase.ended_at is None:
        return data.PHASE_NEVER_ENDED if run_over else data.PHASE_RUNNING
    return data.PHASE_DONE


def _timeline(figures: cs.RunSummary, *, run_over: bool, shareable: bool) -> data.Timeline:
    phases = tuple(
        data.PhaseRow(
            order=p.phase.order,
            name=p.phase.name,
            lane=p.session,
            planned_start=p.planned_start,
            planned_minutes=p.phase.planned_minutes,
            extension_minutes=p.extension_minutes,
            planned_seconds=p.planned_seconds,
            started_at=p.started_at,
            ended_at=p.ended_at,
            actual_seconds=p.actual_seconds,
            paused_seconds=p.paused_seconds,
            pauses=p.pauses,
            difference_seconds=p.difference_seconds,
            start_delay_seconds=p.start_delay_seconds,
            state=_phase_state(p, run_over=run_over),
        )
        for p in figures.phases
    )
    injects = tuple(
        data.InjectRow(
            number=i.number,
            title=i.title,
            status=i.status,
            released_at=i.at,
            automatic=i.automatic,
            acks=tuple(
                data.AckRow(team=t.team.name, acknowledged_at=t.acknowledged_at, seconds=t.seconds) for t in i.teams
            ),
            median_ack_seconds=i.median_seconds,
            first_message=None
            if i.first_message is None
            else data.RelatedMessage(
                sender=i.first_message.sender.name,
                sent_at=i.first_message.sent_at,
                seconds=i.first_message.seconds,
                subject="" if shareable else i.first_message.subject,
            ),
        )
        for i in figures.injects
    )
    return data.Timeline(
        lanes=tuple(dict.fromkeys(p.lane for p in phases)),
        phases=phases,
        injects=injects,
        planned_seconds=figures.planned_seconds,
        actual_seconds=figures.actual_seconds,
        paused_seconds=figures.paused_seconds,
    )


def _exchange(figures: cs.RunSummary) -> data.Exchange:
    matrix = figures.matrix
    exchange = figures.exchange or cs.exchange_figures(parties=(), recipients=())
    edges = tuple(data.Edge(sender=p.sender.name, recipient=p.recipient.name, count=p.count) for p in matrix.pairs)
    slow = exchange.slowest
    return data.Exchange(
        columns=tuple(c.name for c in matrix.columns),
        rows=tuple(
            data.MatrixLine(
                sender=row.sender.name,
                cells=tuple(
                    None if c is None else data.Cell(c.count, c.read, c.replied, c.median_reply_seconds)
                    for c in row.cells
                ),
            )
            for row in matrix.rows
        ),
        edges=edges,
        nodes=tuple(dict.fromkeys(name for edge in edges for name in (edge.sender, edge.recipient))),
        messages=exchange.messages,
        deliveries=exchange.deliveries,
        read=exchange.read,
        replied=exchange.replied,
        median_first_reply_seconds=exchange.median_first_reply_seconds,
        slowest_first_reply=None
        if slow is None
        else data.SlowReply(
            sender=slow.sender.name, recipient=slow.recipient.name, sent_at=slow.sent_at, seconds=slow.seconds
        ),
        received_nothing=tuple(p.name for p in exchange.received_nothing),
        never_answered=tuple(p.name for p in exchange.never_answered),
    )


def _observation(row: cs.ObservationRow, *, shareable: bool) -> data.ObservationItem:
    return data.ObservationItem(
        id=row.id,
        observed_at=row.observed_at,
        team=row.team,
        objective=row.objective,
        phase=row.phase,
        rating=row.rating,
        text=row.text,
        shareable=row.shareable,
        author="" if shareable else row.author,
    )


def _objectives(
    figures: cs.RunSummary,
    objectives: Sequence[LearningObjective],
    reflections: Sequence[tuple[str, rr.Results]],
    *,
    team_order: Sequence[str],
    shareable: bool,
) -> tuple[data.ObjectiveSection, ...]:
    groups = {group.key: group for group in figures.by_objective}
    rank = {name: i for i, name in enumerate(team_order)}
    keyed: list[tuple[int | None, str, str]] = [(o.pk, o.code, str(o)) for o in objectives]
    if None in groups:
        keyed.append((None, "", groups[None].label))
    sections = []
    for key, code, label in keyed:
        group = groups.get(key)
        rows = group.observations if group else ()
        by_team: dict[str, list[cs.ObservationRow]] = {}
        for row in rows:
            by_team.setdefault(row.team or str(_("No team named")), []).append(row)
        figures_for = tuple(
            data.ReflectionFigure(
                administration=title,
                question=q.question.text,
                answered=q.answered,
                mean=q.mean,
                scale_max=q.question.scale_max or 5,
            )
            for title, outcome in reflections
            if outcome.shown
            for q in outcome.questions
            if q.kind == rr.SCALE and key is not None and q.question.objective == label
        )
        sections.append(
            data.ObjectiveSection(
                key=key,
                code=code,
                label=label,
                observations=tuple(_observation(row, shareable=shareable) for row in rows),
                by_team=tuple(
                    data.TeamRating(
                        team=team,
                        notes=len(notes),
                        ratings=stats([n.rating for n in notes if n.rating is not None]),
                    )
                    for team, notes in sorted(by_team.items(), key=lambda item: rank.get(item[0], len(rank)))
                ),
                ratings=stats(group.ratings if group else []),
                reflections=figures_for,
            )
        )
    return tuple(sections)


def _findings(
    board: Sequence[HotwashItem], figures: cs.RunSummary
) -> tuple[tuple[data.Finding, ...], tuple[data.Finding, ...]]:
    """Strengths and areas for improvement: the hot-wash board, then shareable observations rated 4-5
    (strengths) or 1-2 (areas for improvement)."""
    strengths, improvements = [], []
    for item in board:
        finding = data.Finding(
            source="hotwash",
            text=item.text,
            team=str(item.team) if item.team else "",
            objective=str(item.objective) if item.objective else "",
        )
        (strengths if item.kind == HotwashItem.Kind.STRENGTH else improvements).append(finding)
    for group in figures.by_team:
        for row in group.observations:
            if not row.shareable or row.rating is None or row.rating == 3:
                continue
            finding = data.Finding(
                source="observation", text=row.text, team=row.team, objective=row.objective, rating=row.rating
            )
            (strengths if row.rating >= 4 else improvements).append(finding)
    return tuple(strengths), tuple(improvements)


def _reflection_set(title: str, stage: str, outcome: rr.Results, *, shareable: bool) -> data.ReflectionSet:
    texts: tuple[data.TextGroup, ...] = ()
    if outcome.shown and (outcome.anonymous or not shareable):
        texts = tuple(
            data.TextGroup(objective=group.objective, question=q.question.text, answers=tuple(q.texts))
            for group in outcome.text_groups
            for q in group.questions
        )
    return data.ReflectionSet(
        title=title,
        stage=stage,
        anonymous=outcome.anonymous,
        respondents=outcome.respondents,
        members=outcome.members,
        min_respondents=outcome.min_respondents,
        shown=outcome.shown,
        questions=tuple(
            data.QuestionAggregate(
                question=q.question.text,
                kind=q.kind,
                objective=q.question.objective,
                answered=q.answered,
                mean=q.mean,
                bars=tuple(data.Bar(label=b.label, count=b.count, percent=b.percent) for b in q.bars),
            )
            for q in outcome.questions
            if q.kind != rr.TEXT
        ),
        texts=texts,
        prepost=tuple(
            data.ObjectiveChangeRow(objective=c.objective, before=c.before, after=c.after, change=c.change)
            for c in outcome.prepost
        ),
    )


def _administrations(run: ExerciseRun) -> list[Administration]:
    """The run's questionnaires, and its cohort's that name no run."""
    return list(
        Administration.objects.filter(Q(run=run) | Q(cohort_id=run.cohort_id, run__isnull=True))
        .select_related("questionnaire")
        .order_by("opens_at", "pk")
    )


def _problems(run: ExerciseRun, report_parts: dict[str, Any]) -> tuple[str, ...]:
    problems: list[str] = []
    timeline: data.Timeline = report_parts["timeline"]
    if not any(p.started_at for p in timeline.phases) and run.started_at is None:
        problems.append(_("The run never started."))
    elif run.status in (ExerciseRun.Status.RUNNING, ExerciseRun.Status.PAUSED):
        problems.append(_("The run is still going on: its figures are provisional."))
    for phase in timeline.phases:
        if phase.state == data.PHASE_NEVER_ENDED:
            problems.append(_("Phase “%(phase)s” never ended.") % {"phase": phase.name})
    if not timeline.phases:
        problems.append(_("The exercise has no phases."))
    if report_parts["exchange"].messages == 0:
        problems.append(_("No messages were exchanged."))
    if report_parts["observation_count"] == 0:
        problems.append(_("No observations were recorded."))
    reflections: tuple[data.ReflectionSet, ...] = report_parts["reflections"]
    if not any(r.respondents for r in reflections):
        problems.append(_("No reflections were collected."))
    for reflection in reflections:
        if reflection.respondents and not reflection.shown:
            problems.append(
                _("“%(title)s”: %(count)s responses, fewer than %(minimum)s; results are not shown.")
                % {"title": reflection.title, "count": reflection.respondents, "minimum": reflection.min_respondents}
            )
    return tuple(problems)


# --- the reports -----------------------------------------------------------------------------------


def _run_parts(
    *, run: ExerciseRun, user: Any, now: dt.datetime, shareable: bool, language: str
) -> tuple[data.RunReport, cs.RunSummary]:
    run = ExerciseRun.objects.select_related("exercise", "cohort__course", "session", "lead_facilitator").get(pk=run.pk)
    figures = run_summary(run=run, user=user, now=now, shareable_only=shareable)
    overview = _overview(run, shareable=shareable)
    run_over = run.status in (ExerciseRun.Status.FINISHED, ExerciseRun.Status.CANCELLED)
    timeline = _timeline(figures, run_over=run_over, shareable=shareable)
    exchange = _exchange(figures)
    outcomes = [
        (str(adm.questionnaire), adm.stage, administration_results(administration=adm)) for adm in _administrations(run)
    ]
    reflections = tuple(_reflection_set(t, s, o, shareable=shareable) for t, s, o in outcomes)
    observed = [g.key for g in figures.by_objective if g.key is not None]
    objectives = list(
        LearningObjective.objects.filter(Q(pk__in=observed) | Q(exercises=run.exercise_id))
        .distinct()
        .order_by("order", "code")
    )
    board = list(
        HotwashItem.objects.filter(run=run).select_related("team__team_role", "objective").order_by("created_at", "pk")
    )
    strengths, improvements = _findings(board, figures)
    parts: dict[str, Any] = {
        "overview": overview,
        "timeline": timeline,
        "exchange": exchange,
        "objectives": _objectives(
            figures,
            objectives,
            [(t, o) for t, _s, o in outcomes],
            team_order=[t.label for t in overview.teams],
            shareable=shareable,
        ),
        "strengths": strengths,
        "improvements": improvements,
        "reflections": reflections,
        "actions": improvement_rows(run=run, shareable=shareable),
        "observation_count": figures.observation_count,
    }
    report = data.RunReport(
        **parts,
        problems=_problems(run, parts),
        generated_at=now,
        shareable=shareable,
        language=language,
    )
    return report, figures


def run_report(
    *, run: ExerciseRun, user: Any, now: dt.datetime, shareable: bool = False, language: str = "en"
) -> data.RunReport:
    """The after-action report of ``run`` as ``user`` sees it (the caller checks ``reports.view_run_report``).

    ``shareable``: only shareable observations, no authors, facilitators as "Facilitator n", no message
    subjects, reflection free text only from anonymous questionnaires, no action contacts.
    """
    report, _figures = _run_parts(run=run, user=user, now=now, shareable=shareable, language=language)
    return report


def cohort_report(*, cohort: Cohort, user: Any, now: dt.datetime, language: str = "en") -> data.CohortReport:
    """All runs of ``cohort``: one row each, objective ratings pooled over the runs (and per run), and the
    exchange pooled (the median over every answered delivery of every run). Queries grow with the runs."""
    runs = list(ExerciseRun.objects.filter(cohort=cohort).order_by("started_at", "pk"))
    rows, replies, pooled = [], [], {}
    messages = deliveries = 0
    slowest: data.SlowReply | None = None
    reflections: dict[str, data.ReflectionSet] = {}
    problems: list[str] = []
    for run in runs:
        report, figures = _run_parts(run=run, user=user, now=now, shareable=False, language=language)
        exchange = report.exchange
        rows.append(
            data.CohortRunRow(
                run_id=run.pk,
                exercise=report.overview.exercise,
                status=report.overview.status,
                started_at=report.overview.started_at,
                teams=len(report.overview.teams),
                people=report.overview.people,
                messages=exchange.messages,
                observations=report.observation_count,
                median_first_reply_seconds=exchange.median_first_reply_seconds,
                problems=report.problems,
            )
        )
        messages += exchange.messages
        deliveries += exchange.deliveries
        if figures.exchange is not None:
            replies.extend(figures.exchange.reply_seconds)
        if exchange.slowest_first_reply and (slowest is None or exchange.slowest_first_reply.seconds > slowest.seconds):
            slowest = exchange.slowest_first_reply
        for group in figures.by_objective:
            if group.key is None:
                continue
            entry = pooled.setdefault(group.key, {"label": group.label, "ratings": [], "by_run": []})
            entry["ratings"].extend(group.ratings)
            entry["by_run"].append((run.pk, stats(group.ratings)))
        for reflection in report.reflections:
            reflections.setdefault(reflection.title + reflection.stage, reflection)
    codes = dict(LearningObjective.objects.filter(pk__in=list(pooled)).values_list("pk", "code"))
    if not runs:
        problems.append(_("The cohort has no exercise runs."))
    return data.CohortReport(
        cohort=str(cohort),
        course=str(cohort.course),
        runs=tuple(rows),
        objectives=tuple(
            data.PooledObjective(
                code=codes.get(key, ""),
                label=entry["label"],
                ratings=stats(entry["ratings"]),
                by_run=tuple(entry["by_run"]),
            )
            for key, entry in pooled.items()
        ),
        messages=messages,
        deliveries=deliveries,
        replied=len(replies),
        median_first_reply_seconds=cs.median(replies),
        slowest_first_reply=slowest,
        reflections=tuple(reflections.values()),
        problems=tuple(problems),
        generated_at=now,
        language=language,
    )
