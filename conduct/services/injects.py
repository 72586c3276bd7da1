"""Releasing a run's injects: a planned one now (or skipping it), an ad-hoc one written on the spot, and
the planned ones that fall due on their own when the run's auto-release is on.

Every write locks the run's row first (the clock's services do too), then reads what was released,
so two facilitators pressing "release" at once are served one after the other: the second is told
when and by whom it was released. Each refusal raises ``ApplicationError`` before anything is
written. A release records who, when and the clock's current phase, copies the inject's title,
message and delivering cell role, delivers it to its teams, and bumps the rooms' change counter.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.decorators import audited
from conduct.inject_timing import inject_is_due
from conduct.models import InjectDelivery, InjectRelease
from conduct.selectors import run_clock
from core.exceptions import ApplicationError
from exercises.models import CellRole, ExerciseRun, Inject, RunTeam
from exercises.services import run_live_bump

logger = logging.getLogger(__name__)

Status = ExerciseRun.Status
PERM = "conduct.release_inject"
ADHOC_TITLE_MAX_LENGTH = 200
ADHOC_BODY_MAX_LENGTH = 5000


def _locked(*, run: ExerciseRun, by: Any) -> ExerciseRun:
    if by is None or not by.has_perm(PERM, run):
        raise ApplicationError(_("Only the run's facilitators and coordinators can release its injects."))
    return ExerciseRun.objects.select_for_update().get(pk=run.pk)


def _refuse_unless_live(run: ExerciseRun) -> None:
    if run.status == Status.PLANNED:
        raise ApplicationError(_("The run has not started yet: start it before releasing injects."))
    if run.status not in (Status.RUNNING, Status.PAUSED):
        raise ApplicationError(_("The run is over: it was %(status)s.") % {"status": run.get_status_display()})


def _refuse_foreign(run: ExerciseRun, inject: Inject) -> None:
    if inject.exercise_id != run.exercise_id:
        raise ApplicationError(field_errors={"inject": [_("The inject belongs to another exercise.")]})


def _already(release: InjectRelease) -> ApplicationError:
    when = formats.date_format(timezone.localtime(release.at), "H:i")
    who = str(release.by) if release.by_id else _("automatically")
    if release.status == InjectRelease.Status.SKIPPED:
        message = _("“%(title)s” was already skipped at %(when)s (%(who)s). Nothing was changed.")
    else:
        message = _("“%(title)s” was already released at %(when)s (%(who)s). Nothing was changed.")
    return ApplicationError(message % {"title": release.title, "when": when, "who": who})


def _refuse_done(run: ExerciseRun, inject: Inject) -> None:
    done = InjectRelease.objects.filter(run=run, inject=inject).select_related("by").first()
    if done is not None:
        raise _already(done)


def inject_target_teams(*, run: ExerciseRun, inject: Inject) -> list[RunTeam]:
    """The run's teams playing one of the inject's target roles; all its teams when it names none."""
    teams = RunTeam.objects.filter(run=run).select_related("team_role")
    roles = list(inject.target_roles.values_list("pk", flat=True))
    return list(teams.filter(team_role__in=roles) if roles else teams)


def _checked_teams(run: ExerciseRun, teams: Iterable[RunTeam]) -> list[RunTeam]:
    chosen = list({team.pk: team for team in teams}.values())
    if not chosen:
        raise ApplicationError(field_errors={"teams": [_("Choose at least one team.")]})
    if any(team.run_id != run.pk for team in chosen):
        raise ApplicationError(field_errors={"teams": [_("A team belongs to another run.")]})
    return chosen


def _dependency_released(run: ExerciseRun, inject: Inject) -> bool:
    if inject.depends_on_id is None:
        return True
    return InjectRelease.objects.filter(
        run=run, inject_id=inject.depends_on_id, status=InjectRelease.Status.RELEASED
    ).exists()


def _write(
    *,
    run: ExerciseRun,
    inject: Inject | None,
    status: str,
    title: str,
    body: str,
    delivered_by_id: int | None,
    teams: Sequence[RunTeam],
    by: Any,
    now: dt.datetime,
    phase_id: int | None,
    automatic: bool = False,
    dependency_overridden: bool = False,
) -> InjectRelease:
    try:
        # A savepoint: a writer that did not lock the run (the admin, say) can still win the race to
        # the unique constraint; the loser is told who released it, as if it had seen the row.
        with transaction.atomic():
            release = InjectRelease.objects.create(
                run=run,
                inject=inject,
                status=status,
                title=title,
                body=body,
                delivered_by_id=delivered_by_id,
                phase_id=phase_id,
                at=now,
                by=by,
                automatic=automatic,
                dependency_overridden=dependency_overridden,
            )
    except IntegrityError:
        if inject is None:
            raise
        raise _already(InjectRelease.objects.select_related("by").get(run=run, inject=inject)) from None
    InjectDelivery.objects.bulk_create(InjectDelivery(release=release, team=team) for team in teams)
    run_live_bump(run_id=run.pk)  # the team rooms show their injects
    return release


def _when(run: ExerciseRun, now: dt.datetime | None) -> dict[str, Any]:
    """The moment of a release and the clock's phase at that moment."""
    now = now or timezone.now()
    phase = run_clock(run=run, now=now).phase
    return {"now": now, "phase_id": phase.id if phase else None}


@transaction.atomic
@audited("inject.release")
def inject_release(
    *,
    run: ExerciseRun,
    inject: Inject,
    by: Any,
    teams: Iterable[RunTeam] | None = None,
    override_dependency: bool = False,
    now: dt.datetime | None = None,
) -> InjectRelease:
    """Release a planned inject now, to ``teams`` (default: the run's teams of its target roles).

    Refused when it was released or skipped already, when the run is not running or paused, and when
    the inject it depends on has not been released, unless ``override_dependency`` (then recorded).
    """
    run = _locked(run=run, by=by)
    _refuse_foreign(run, inject)
    _refuse_unless_live(run)
    _refuse_done(run, inject)
    chosen = _checked_teams(run, inject_target_teams(run=run, inject=inject) if teams is None else teams)
    overridden = False
    if not _dependency_released(run, inject):
        if not override_dependency:
            raise ApplicationError(
                field_errors={
                    "override_dependency": [
                        _(
                            "It depends on “%(dependency)s”, which has not been released: "
                            "release that first, or release this one anyway."
                        )
                        % {"dependency": inject.depends_on}
                    ]
                }
            )
        overridden = True
    return _write(
        run=run,
        inject=inject,
        status=InjectRelease.Status.RELEASED,
        title=inject.title,
        body=inject.body,
        delivered_by_id=inject.delivered_by_id,
        teams=chosen,
        by=by,
        dependency_overridden=overridden,
        **_when(run, now),
    )


@transaction.atomic
@audited("inject.skip")
def inject_skip(*, run: ExerciseRun, inject: Inject, by: Any, now: dt.datetime | None = None) -> InjectRelease:
    """Mark a planned inject as not played in this run: it is never released, by hand or automatically."""
    run = _locked(run=run, by=by)
    _refuse_foreign(run, inject)
    _refuse_unless_live(run)
    _refuse_done(run, inject)
    return _write(
        run=run,
        inject=inject,
        status=InjectRelease.Status.SKIPPED,
        title=inject.title,
        body=inject.body,
        delivered_by_id=inject.delivered_by_id,
        teams=(),
        by=by,
        **_when(run, now),
    )


@transaction.atomic
@audited("inject.adhoc")
def inject_adhoc(
    *,
    run: ExerciseRun,
    title: str,
    body: str,
    teams: Iterable[RunTeam],
    by: Any,
    delivered_by: CellRole | None = None,
    now: dt.datetime | None = None,
) -> InjectRelease:
    """Release an inject written on the spot to one or more of the run's teams."""
    run = _locked(run=run, by=by)
    errors: dict[str, list[str]] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = [_("Give the inject a title.")]
    elif len(title) > ADHOC_TITLE_MAX_LENGTH:
        errors["title"] = [_("At most %(limit)s characters.") % {"limit": ADHOC_TITLE_MAX_LENGTH}]
    if not body:
        errors["body"] = [_("Write the message the teams receive.")]
    elif len(body) > ADHOC_BODY_MAX_LENGTH:
        errors["body"] = [_("At most %(limit)s characters.") % {"limit": ADHOC_BODY_MAX_LENGTH}]
    if delivered_by is not None and delivered_by.exercise_id != run.exercise_id:
        errors["delivered_by"] = [_("The cell role belongs to another exercise.")]
    try:
        chosen = _checked_teams(run, teams)
    except ApplicationError as error:
        errors.update(error.field_errors)
    if errors:
        raise ApplicationError(field_errors=errors)
    _refuse_unless_live(run)
    return _write(
        run=run,
        inject=None,
        status=InjectRelease.Status.RELEASED,
        title=title,
        body=body,
        delivered_by_id=delivered_by.pk if delivered_by else None,
        teams=chosen,
        by=by,
        **_when(run, now),
    )


@transaction.atomic
@audited("run.auto_release_set", target="run")
def run_auto_release_set(*, run: ExerciseRun, on: bool, by: Any) -> ExerciseRun:
    """Switch the release of planned injects at their planned time on or off (not once the run is over)."""
    run = _locked(run=run, by=by)
    if run.status in (Status.FINISHED, Status.CANCELLED):
        raise ApplicationError(_("The run is over: it was %(status)s.") % {"status": run.get_status_display()})
    if run.auto_release_injects != on:
        run.auto_release_injects = on
        run.save(update_fields=["auto_release_injects", "updated_at"])
    return run


@audited("injects.release_due", fields=None)
def injects_release_due(*, now: dt.datetime | None = None, run_ids: Iterable[int] | None = None) -> int:
    """Release every due planned inject of the running runs with auto-release on (or of ``run_ids``
    among them); answers how many. One transaction per run, so one run's trouble does not hold the others.

    Due: its phase is the current one and its offset has been reached in play time, or its phase is
    past (``conduct.inject_timing``). An inject whose dependency is not released waits: automatic
    releases never override. Safe to run twice at once: each run's row is locked, then re-read.
    """
    now = now or timezone.now()
    runs = ExerciseRun.objects.filter(status=Status.RUNNING, auto_release_injects=True)
    if run_ids is not None:
        runs = runs.filter(pk__in=list(run_ids))
    released = 0
    for run_id in runs.values_list("pk", flat=True):
        try:
            released += _release_due_for(run_id=run_id, now=now)
        except Exception:  # one broken run must not stop the others' injects
            logger.exception("Releasing the due injects of run %s failed", run_id)
    return released


@transaction.atomic
def _release_due_for(*, run_id: int, now: dt.datetime) -> int:
    run = ExerciseRun.objects.select_for_update().filter(pk=run_id).order_by().first()  # no outer join to lock
    if run is None or run.status != Status.RUNNING or not run.auto_release_injects:
        return 0  # changed since the list was read
    clock = run_clock(run=run, now=now)
    phase_id = clock.phase.id if clock.phase else None
    done = dict(InjectRelease.objects.filter(run=run, inject__isnull=False).values_list("inject_id", "status"))
    pending = [
        inject
        for inject in Inject.objects.filter(exercise_id=run.exercise_id, phase__isnull=False)
        .select_related("phase")
        .prefetch_related("target_roles")
        .order_by("phase__order", "minute_offset", "number")
        if inject.pk not in done
        and inject_is_due(phase_order=inject.phase.order, minute_offset=inject.minute_offset, clock=clock)
    ]
    teams = list(RunTeam.objects.filter(run=run))
    count = 0
    progress = True
    while progress:  # a dependency released in this pass frees its dependents in the next
        progress = False
        for inject in list(pending):
            if inject.depends_on_id is not None and done.get(inject.depends_on_id) != InjectRelease.Status.RELEASED:
                continue
            roles = {role.pk for role in inject.target_roles.all()}
            targets = [team for team in teams if not roles or team.team_role_id in roles]
            pending.remove(inject)
            if not targets:
                continue  # no team plays its roles: left for a facilitator to release by hand
            _write(
                run=run,
                inject=inject,
                status=InjectRelease.Status.RELEASED,
                title=inject.title,
                body=inject.body,
                delivered_by_id=inject.delivered_by_id,
                teams=targets,
                by=None,
                now=now,
                phase_id=phase_id,
                automatic=True,
            )
            done[inject.pk] = InjectRelease.Status.RELEASED
            count += 1
            progress = True
    return count
