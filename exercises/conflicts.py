"""Schedule checks about exercise runs, and ``SCHEDULE_CHECKS``: every schedule check, in one place."""

from django.db.models import Sum
from django.utils.translation import gettext as _

from exercises.models import ExerciseRun, Phase, RunPhase
from exercises.selectors.runs import exercise_run_parts
from participants.conflicts import PARTICIPANTS_CHECKS
from trainings.conflicts import (
    HARD,
    SOFT,
    TRAININGS_CHECKS,
    Check,
    Conflict,
    SessionPlan,
    person_name,
    session_warnings,
)
from trainings.models import Session

# A run in these states has begun: its session's time is history, not a plan.
STARTED_STATUSES = (ExerciseRun.Status.RUNNING, ExerciseRun.Status.PAUSED, ExerciseRun.Status.FINISHED)


def run_phase_minutes(run: ExerciseRun) -> int:
    """What the run needs: its exercise's phases, or its planned duration when no phase is planned yet."""
    total = Phase.objects.filter(exercise_id=run.exercise_id).aggregate(total=Sum("planned_minutes"))["total"]
    return total or run.exercise.planned_minutes


def _minutes_in_session(run: ExerciseRun, session_pk: int | None) -> int:
    """What the run needs of the session: to the end of its last phase there, from the session's start.

    A run whose phases are placed over several sessions (exercises.services.runs.run_phases_place)
    needs only its part of each; otherwise the whole run from the session's start.
    """
    if session_pk is not None:
        for part in exercise_run_parts(run=run):
            if part.session.pk == session_pk:
                return int((part.ends_at - part.session.starts_at).total_seconds() // 60)
    return run_phase_minutes(run)


def run_longer_than_session(plan: SessionPlan) -> list[Conflict]:
    """Soft: the session is saved, and the agenda shows the phases that run past its end.

    Compared with the run's phases in that session: a run over two days is not long for its first day.
    """
    run = plan.run
    if run is None:
        return []
    needed = _minutes_in_session(run, plan.session_pk)
    if needed <= plan.minutes:
        return []
    return [
        Conflict(
            code="run_too_long",
            severity=SOFT,
            message=_(
                "“%(exercise)s” needs %(needed)d minutes for its phases but the session lasts %(minutes)d: "
                "it runs %(over)d minutes long."
            )
            % {"exercise": run.exercise.name, "needed": needed, "minutes": plan.minutes, "over": needed - plan.minutes},
            subject=f"run-length:{run.exercise_id}",
        )
    ]


def lead_facilitator_leads_another_run(plan: SessionPlan) -> list[Conflict]:
    """Whoever leads the run (or facilitates the cohort) cannot lead another run at the same time."""
    people = {}
    run = plan.run
    if run is not None and run.lead_facilitator_id is not None:
        people[run.lead_facilitator_id] = run.lead_facilitator
    if not plan.only_run and plan.cohort.pk is not None:
        people.update((user.pk, user) for user in plan.cohort.facilitators.all())
    if not people:
        return []
    sessions = plan.others().values("pk")
    clashes = (
        ExerciseRun.objects.filter(lead_facilitator_id__in=list(people), session__in=sessions)
        .exclude(status=ExerciseRun.Status.CANCELLED)
        .select_related("exercise", "cohort", "session", "lead_facilitator")
    )
    # A run over several sessions is also led in the sessions its later phases are placed in.
    placed = (
        RunPhase.objects.filter(run__lead_facilitator_id__in=list(people), session__in=sessions)
        .exclude(run__status=ExerciseRun.Status.CANCELLED)
        .select_related("session", "run__exercise", "run__cohort", "run__lead_facilitator")
    )
    if run is not None and run.pk is not None:
        clashes = clashes.exclude(pk=run.pk)
        placed = placed.exclude(run_id=run.pk)
    booked = [(other, other.session) for other in clashes]
    booked += [(row.run, row.session) for row in placed]
    conflicts = []
    for other, session in booked:
        conflicts.append(
            Conflict(
                code="lead_facilitator_booked",
                severity=HARD,
                message=_("%(name)s already leads “%(exercise)s” %(when)s in %(cohort)s.")
                % {
                    "name": person_name(other.lead_facilitator),
                    "exercise": other.exercise.name,
                    "when": plan.when(session),
                    "cohort": other.cohort,
                },
                clashes_with=session,
                subject=f"user:{other.lead_facilitator_id}",
            )
        )
    return conflicts


def started_run_cannot_move(plan: SessionPlan) -> list[Conflict]:
    """A run that has begun keeps its session's times: moving them would rewrite what happened."""
    run = plan.run
    if plan.session_pk is None or run is None or run.status not in STARTED_STATUSES:
        return []
    stored = Session.objects.filter(pk=plan.session_pk).values_list("starts_at", "ends_at").first()
    if stored is None or stored == (plan.starts_at, plan.ends_at):
        return []
    return [
        Conflict(
            code="run_started",
            severity=HARD,
            message=_("“%(exercise)s” in this session is already %(status)s: the session cannot be moved.")
            % {"exercise": run.exercise.name, "status": run.get_status_display().lower()},
            subject=f"run:{run.pk}",
        )
    ]


# Every check of a session and the run it holds: trainings' (the cohort, rooms, links, facilitators),
# the runs', then the people's. Session and run writes pass this to trainings' services.
SCHEDULE_CHECKS = (
    *TRAININGS_CHECKS,
    Check(run_longer_than_session, checks_run=True),
    Check(lead_facilitator_leads_another_run, checks_run=True),
    Check(started_run_cannot_move),
    *PARTICIPANTS_CHECKS,
)


def run_in_session(session: Session) -> ExerciseRun | None:
    """The run a saved session holds (as its first session, or phases placed in it), for the checks."""
    if session.pk is None:
        return None
    runs = ExerciseRun.objects.select_related("exercise", "lead_facilitator", "session")
    return (
        runs.filter(session=session).first()
        or runs.filter(pk__in=RunPhase.objects.filter(session=session).values("run_id")).first()
    )


def schedule_warnings(*, session: Session) -> list[Conflict]:
    """The soft conflicts of a saved session and the run it holds, to show after saving."""
    return session_warnings(session=session, checks=SCHEDULE_CHECKS, run=run_in_session(session))


def run_warnings(*, run: ExerciseRun) -> list[Conflict]:
    """The soft conflicts of a run in each session it has phases in, to show after saving (e.g. it runs long)."""
    warnings: list[Conflict] = []
    sessions = [part.session for part in exercise_run_parts(run=run)]
    if not sessions and run.session is not None:
        sessions = [run.session]  # no phases yet: judged by its planned duration
    for session in sessions:
        for conflict in session_warnings(session=session, checks=SCHEDULE_CHECKS, run=run, only_run=True):
            if conflict not in warnings:
                warnings.append(conflict)
    return warnings
