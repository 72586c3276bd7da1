"""Reads for a run's debrief: its timeline, its summary and its hot-wash board."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from conduct import summary
from conduct.models import (
    HotwashItem,
    InjectDelivery,
    InjectRelease,
    Message,
    MessageRecipient,
    RunEvent,
)
from conduct.selectors.clock import observation_queryset, run_clock_inputs
from conduct.timeline import TimelineEntry, timeline_merge
from exercises.models import CellRole, ExerciseRun, Inject, RunPhase, RunTeam
from trainings import access


def _name(user: Any) -> str:
    return str(user) if user is not None else ""


def _team_name(team: RunTeam | None) -> str:
    return str(team) if team is not None else ""


def run_timeline(*, run: ExerciseRun, user: Any) -> list[TimelineEntry]:
    """Everything that happened in the run, in time order: the clock's changes, inject releases, skips and
    acknowledgements, messages (sent, first read, first reply) and the observations the user sees.

    Six queries whatever the run's size. For the run's staff only (``conduct.debrief_run``).
    """
    entries: list[TimelineEntry] = []
    for event in RunEvent.objects.filter(run=run).select_related("phase", "by").order_by("at", "pk"):
        detail = _("+%(minutes)s min") % {"minutes": event.minutes} if event.minutes else ""
        entries.append(
            TimelineEntry(
                at=event.at,
                kind=event.kind,
                subject=event.phase.name,
                actor=_name(event.by),
                phase=event.phase.name,
                detail=detail,
                ref=event.pk,
            )
        )
    deliveries: dict[int, list[InjectDelivery]] = {}
    for delivery in InjectDelivery.objects.filter(release__run=run).select_related(
        "team__team_role", "acknowledged_by"
    ):
        deliveries.setdefault(delivery.release_id, []).append(delivery)
    for release in InjectRelease.objects.filter(run=run).select_related("by", "phase", "delivered_by", "inject"):
        notes = []
        if release.automatic:
            notes.append(_("released automatically"))
        if release.dependency_overridden:
            notes.append(_("released before its dependency"))
        if release.delivered_by is not None:
            notes.append(_("delivered by %(role)s") % {"role": release.delivered_by.name})
        title = f"{release.inject.number}. {release.title}" if release.inject is not None else release.title
        entries.append(
            TimelineEntry(
                at=release.at,
                kind=release.status,
                subject=title,
                actor=_name(release.by),
                parties=tuple(_team_name(d.team) for d in deliveries.get(release.pk, [])),
                phase=release.phase.name if release.phase else "",
                detail=" · ".join(notes),
                ref=release.pk,
            )
        )
        for delivery in deliveries.get(release.pk, []):
            if delivery.acknowledged_at is not None:
                entries.append(
                    TimelineEntry(
                        at=delivery.acknowledged_at,
                        kind="acknowledged",
                        subject=title,
                        actor=_team_name(delivery.team),
                        detail=_name(delivery.acknowledged_by),
                        ref=delivery.pk,
                    )
                )
    recipients: dict[int, list[MessageRecipient]] = {}
    for recipient in MessageRecipient.objects.filter(message__run=run).select_related(
        "team__team_role", "cell_role", "first_read_by"
    ):
        recipients.setdefault(recipient.message_id, []).append(recipient)
    control = str(_("Exercise control"))
    for message in Message.objects.filter(run=run).select_related(
        "sender_team__team_role", "sender_cell_role", "sent_by"
    ):
        sender = _team_name(message.sender_team) or (message.sender_cell_role.name if message.sender_cell_role else "")
        sender = sender or control
        subject = message.subject or message.body[:80]
        addressees = recipients.get(message.pk, [])
        entries.append(
            TimelineEntry(
                at=message.sent_at,
                kind="message",
                subject=subject,
                actor=sender,
                parties=tuple(_recipient_name(r) for r in addressees),
                detail=_name(message.sent_by),
                ref=message.pk,
            )
        )
        for recipient in addressees:
            if recipient.first_read_at is not None:
                entries.append(
                    TimelineEntry(
                        at=recipient.first_read_at,
                        kind="read",
                        subject=subject,
                        actor=_recipient_name(recipient),
                        parties=(sender,),
                        detail=_name(recipient.first_read_by),
                        ref=recipient.pk,
                    )
                )
            if recipient.first_reply_at is not None:
                entries.append(
                    TimelineEntry(
                        at=recipient.first_reply_at,
                        kind="reply",
                        subject=subject,
                        actor=_recipient_name(recipient),
                        parties=(sender,),
                        ref=recipient.pk,
                    )
                )
    for note in observation_queryset(user=user).filter(run=run):
        facts = [_("rated %(rating)s/5") % {"rating": note.rating}] if note.rating else []
        facts.append(_("may be shown in the debrief") if note.shareable else _("facilitators only"))
        entries.append(
            TimelineEntry(
                at=note.observed_at,
                kind="observation",
                subject=note.text,
                actor=_name(note.author),
                parties=(_team_name(note.team),) if note.team else (),
                phase=note.phase.name if note.phase else "",
                detail=" · ".join(facts),
                ref=note.pk,
            )
        )
    return timeline_merge(entries)


def _recipient_name(recipient: MessageRecipient) -> str:
    return _team_name(recipient.team) if recipient.team is not None else getattr(recipient.cell_role, "name", "")


def _party(kind: str, pk: int | None) -> summary.PartyKey:
    return (kind, pk) if pk is not None else summary.CONTROL_KEY


def run_summary(*, run: ExerciseRun, user: Any, now: dt.datetime, shareable_only: bool = False) -> summary.RunSummary:
    """The run's debrief figures (``conduct.summary``), from ten queries whatever the run's size.

    ``shareable_only`` keeps the observations that may be shown in the debrief (for the projector).
    """
    phases, events = run_clock_inputs(run)
    release_rows = list(
        InjectRelease.objects.filter(run=run).values(
            "pk", "inject_id", "inject__number", "title", "status", "at", "automatic", "dependency_overridden"
        )
    )
    releases = [
        summary.ReleaseRow(
            id=row["pk"],
            number=row["inject__number"],
            title=row["title"],
            status=row["status"],
            at=row["at"],
            automatic=row["automatic"],
            dependency_overridden=row["dependency_overridden"],
        )
        for row in release_rows
    ]
    deliveries = [
        summary.DeliveryRow(release_id=release_id, team_id=team_id, acknowledged_at=acknowledged_at)
        for release_id, team_id, acknowledged_at in InjectDelivery.objects.filter(release__run=run).values_list(
            "release_id", "team_id", "acknowledged_at"
        )
    ]
    done = {row["inject_id"] for row in release_rows if row["inject_id"] is not None}
    pending = [
        summary.PendingInjectRow(id=pk, number=number, title=title)
        for pk, number, title in Inject.objects.filter(exercise_id=run.exercise_id).values_list("pk", "number", "title")
        if pk not in done
    ]
    parties = [
        summary.Party((summary.TEAM, team.pk), str(team))
        for team in RunTeam.objects.filter(run=run).select_related("team_role").order_by("team_role__number")
    ]
    parties += [
        summary.Party((summary.CELL, pk), name)
        for pk, name in CellRole.objects.filter(exercise_id=run.exercise_id).order_by("name").values_list("pk", "name")
    ]
    parties.append(summary.Party(summary.CONTROL_KEY, str(_("Exercise control"))))
    recipients = [
        summary.RecipientRow(
            message_id=row["message_id"],
            sender=(summary.TEAM, row["message__sender_team_id"])
            if row["message__sender_team_id"]
            else _party(summary.CELL, row["message__sender_cell_role_id"]),
            sent_at=row["message__sent_at"],
            recipient=(summary.TEAM, row["team_id"]) if row["team_id"] else (summary.CELL, row["cell_role_id"]),
            first_read_at=row["first_read_at"],
            first_reply_at=row["first_reply_at"],
            subject=row["message__subject"],
        )
        for row in MessageRecipient.objects.filter(message__run=run).values(
            "message__subject",
            "message_id",
            "message__sender_team_id",
            "message__sender_cell_role_id",
            "message__sent_at",
            "team_id",
            "cell_role_id",
            "first_read_at",
            "first_reply_at",
        )
    ]
    notes = observation_queryset(user=user).filter(run=run)
    if shareable_only:
        notes = notes.filter(shareable=True)
    observations, objective_rank = [], {}
    for note in notes:
        if note.objective is not None:
            objective_rank[note.objective.pk] = (note.objective.order, note.objective.code)
        observations.append(
            summary.ObservationRow(
                id=note.pk,
                observed_at=note.observed_at,
                team_id=note.team_id,
                objective_id=note.objective_id,
                rating=note.rating,
                text=note.text,
                shareable=note.shareable,
                author=_name(note.author),
                phase=note.phase.name if note.phase else "",
                team=_team_name(note.team),
                objective=str(note.objective) if note.objective else "",
            )
        )
    placements = {
        phase_id: summary.Placement(session=title or "", planned_start=planned_start)
        for phase_id, title, planned_start in RunPhase.objects.filter(run=run).values_list(
            "phase_id", "session__title", "planned_start"
        )
    }
    return summary.summary_compute(
        placements=placements,
        phases=phases,
        events=events,
        releases=releases,
        deliveries=deliveries,
        pending=pending,
        parties=parties,
        recipients=recipients,
        observations=observations,
        objective_order=sorted(objective_rank, key=lambda pk: objective_rank[pk]),
        no_team=str(_("No team named")),
        no_objective=str(_("No objective named")),
        now=now,
    )


def hotwash_queryset(*, user: Any) -> QuerySet[HotwashItem]:
    """The hot-wash items the user sees: coordinators all, facilitators their cohorts' runs', participants none."""
    items = HotwashItem.objects.select_related("run", "team__team_role", "objective", "author")
    if access.sees_everything(user):
        return items.all()
    return items.filter(run__cohort_id__in=access.facilitated_cohort_ids(user))


def run_hotwash_list(*, run: ExerciseRun, user: Any) -> list[HotwashItem]:
    """The run's board in one query: strengths first, then areas for improvement, each in the order written."""
    items = hotwash_queryset(user=user).filter(run=run).order_by("created_at", "pk")
    return sorted(items, key=lambda item: item.kind != HotwashItem.Kind.STRENGTH)
