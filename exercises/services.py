"""Writes for exercise runs. Exercise authoring (phases, roles, injects) comes with its own issue."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.services import Errors, country_code_errors, merge_errors, model_apply, model_full_clean, unique_slug
from exercises.conflicts import SCHEDULE_CHECKS, STARTED_STATUSES
from exercises.models import CourseExercise, Exercise, ExerciseRun, Handout, Inject, Phase, RunPhase, RunTeam, TeamRole
from trainings.conflicts import SessionPlan, session_plan_check
from trainings.models import Cohort, Course, LearningObjective, Session
from trainings.services import cohort_schedule_bump

RUN_FIELDS = ("session", "lead_facilitator")


def _session_errors(run: ExerciseRun) -> Errors:
    session = run.session
    if session is None:
        return {}
    if session.cohort_id != run.cohort_id:
        return {"session": [_("The session belongs to another cohort.")]}
    taken = ExerciseRun.objects.filter(session=session).exclude(pk=run.pk).exists()
    if taken:
        return {"session": [_("This session already holds another exercise run.")]}
    return {}


def _lead_facilitator_errors(run: ExerciseRun) -> Errors:
    """The lead is one of the cohort's facilitators (whatever their role): the people who run its sessions."""
    lead = run.lead_facilitator
    if lead is None or run.cohort.facilitators.filter(pk=lead.pk).exists():
        return {}
    return {
        "lead_facilitator": [
            _("%(name)s is not one of this cohort's facilitators; add them to the cohort first.") % {"name": lead}
        ]
    }


def _started_run_move_errors(run: ExerciseRun, status: str) -> Errors:
    """A run that has begun keeps its session: its times are what happened (see started_run_cannot_move)."""
    if status not in STARTED_STATUSES:
        return {}
    return {
        "session": [
            _("“%(exercise)s” is already %(status)s: it cannot move to another session.")
            % {"exercise": run.exercise.name, "status": ExerciseRun.Status(status).label.lower()}
        ]
    }


def _cancelled_session_errors(run: ExerciseRun) -> Errors:
    if run.session is not None and run.session.status == Session.Status.CANCELLED:
        return {"session": [_("The session is cancelled; choose a scheduled one.")]}
    return {}


def _run_plan_check(run: ExerciseRun) -> None:
    """Refuse the run in its session on a hard conflict (its lead booked elsewhere, ...).

    Soft ones (the run is longer than the session) are saved; exercises.conflicts.run_warnings shows them.
    """
    if run.session is not None and run.session.status == Session.Status.SCHEDULED:
        session_plan_check(plan=SessionPlan.for_session(run.session, run=run, only_run=True), checks=SCHEDULE_CHECKS)


def _sessions_changed(*session_ids: int | None) -> None:
    """A session gaining or losing its run changes in calendars too: bump its iCalendar sequence."""
    ids = [pk for pk in session_ids if pk is not None]
    if ids:
        Session.objects.filter(pk__in=ids).update(sequence=F("sequence") + 1, updated_at=timezone.now())


# A run's calendar event has SEQUENCE = run.sequence + session.sequence (portal.calendars). Both
# counters only go up, so the sum only goes up while the run stays in its session: a session move or
# cancellation bumps the session's, a phase change bumps the run's. When the run changes session, the
# new session may have been edited less than the old one, so the run absorbs the old session's count:
# run.sequence += old session's sequence + 1, which makes the new sum larger than the old one whatever
# the new session's count. Calendar programs ignore an update whose SEQUENCE is not higher.


def _run_sequence_bump(run: ExerciseRun, *, left_session_id: int | None = None) -> None:
    left = 0
    if left_session_id is not None:
        left = Session.objects.filter(pk=left_session_id).values_list("sequence", flat=True).first() or 0
    run.sequence = F("sequence") + left + 1  # type: ignore[assignment]  # resolved by the database


def _runs_rescheduled(*, exercise: Exercise) -> None:
    """The exercise's phases or length changed, so its runs end at another time: bump those not finished."""
    ExerciseRun.objects.filter(exercise=exercise).exclude(status=ExerciseRun.Status.FINISHED).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )


@transaction.atomic
def exercise_run_create(
    *,
    exercise: Exercise,
    cohort: Cohort,
    session: Session | None = None,
    lead_facilitator: User | None = None,
) -> ExerciseRun:
    """Plan a run of an exercise for a cohort, with one team per team role of the exercise."""
    run = ExerciseRun(exercise=exercise, cohort=cohort, session=session, lead_facilitator=lead_facilitator)
    errors = merge_errors(_session_errors(run), _cancelled_session_errors(run), _lead_facilitator_errors(run))
    model_full_clean(instance=run, errors=errors)
    _run_plan_check(run)
    run.save()
    _sessions_changed(run.session_id)
    cohort_schedule_bump(cohort_ids=[run.cohort_id])
    RunTeam.objects.bulk_create([RunTeam(run=run, team_role=role) for role in exercise.team_roles.all()])
    return run


@transaction.atomic
def exercise_run_update(*, run: ExerciseRun, data: Mapping[str, Any]) -> ExerciseRun:
    """Move a run to another session of its cohort or change its lead facilitator.

    The exercise and the cohort stay: the run's teams and memberships depend on them. A run that has
    started stays in its session. A lead is checked when it changes: a lead who has since left the
    cohort's facilitators stays on the run until someone else is chosen (the form offers them too).
    """
    # Locked: the status decides whether the run may move, and a run starting meanwhile must not.
    status = ExerciseRun.objects.select_for_update().filter(pk=run.pk).values_list("status", flat=True).get()
    previous_session_id = run.session_id
    changed = model_apply(instance=run, fields=RUN_FIELDS, data=data)
    errors = _session_errors(run)
    if "session" in changed:
        errors = merge_errors(errors, _started_run_move_errors(run, status), _cancelled_session_errors(run))
    if "lead_facilitator" in changed:
        errors = merge_errors(errors, _lead_facilitator_errors(run))
    model_full_clean(instance=run, errors=errors)
    if changed:
        _run_plan_check(run)
        # Its calendar event changes (time and place, or the lead it names).
        _run_sequence_bump(run, left_session_id=previous_session_id if "session" in changed else None)
        run.save(update_fields=[*changed, "sequence", "updated_at"])
        run.refresh_from_db(fields=["sequence"])
    if "session" in changed:
        _sessions_changed(previous_session_id, run.session_id)
    if changed:
        cohort_schedule_bump(cohort_ids=[run.cohort_id])
    return run


# --- exercise authoring: the exercise and its plan (phases, team roles, injects) -----------------
#
# A plan arrives whole (from the inline forms, the API or a master events list) and is validated
# whole before anything is written: one refusal lists every problem and saves nothing. Inside a
# plan, injects refer to phases, teams and other injects by their numbers, because rows added in
# the same request have no id yet. Errors are keyed ``<part>[<index>].<field>`` (``injects[2].phase``)
# or ``<part>`` for the list as a whole, so forms, the API and the import can put them in place.

EXERCISE_FIELDS = (
    "name",
    "slug",
    "kind",
    "planned_minutes",
    "aim",
    "scenario",
    "materials",
    "facilitator_guidelines",
    "tips",
    "online_variation",
    "debriefing_guidance",
    "country",
)
# The exercise pages' own addresses: an exercise with such a slug could not be reached.
RESERVED_EXERCISE_SLUGS = frozenset({"new", "import", "runs", "courses"})
# Kept rows move out of the way first, so renumbering never meets the unique constraints halfway.
_RENUMBER_OFFSET = 1_000_000


@dataclass
class PhaseInput:
    """A phase of a plan; ``id`` keeps (and updates) an existing phase of the exercise."""

    order: int | None
    name: str
    planned_minutes: int | None
    kind: str = "play"
    instructions: str = ""
    id: int | None = None


@dataclass
class TeamRoleInput:
    number: int | None
    name: str
    agency_kind: str
    briefing: str = ""
    tasks: str = ""
    id: int | None = None


@dataclass
class InjectInput:
    """An inject; ``phase``, ``target_teams`` and ``depends_on`` are numbers within the same plan."""

    number: int | None
    title: str
    body: str
    kind: str = "new_information"
    channel: str = "in_person"
    sender: str = ""
    phase: int | None = None
    minute_offset: int | None = 0
    target_teams: Sequence[int] = ()
    expected_actions: str = ""
    learning_objectives: Sequence[LearningObjective] = ()
    depends_on: int | None = None
    id: int | None = None


@dataclass
class ExercisePlan:
    phases: list[PhaseInput] = field(default_factory=list)
    team_roles: list[TeamRoleInput] = field(default_factory=list)
    injects: list[InjectInput] = field(default_factory=list)


def plan_error_location(key: str) -> tuple[str, int | None, str]:
    """Split an error key:
    ``"injects[2].phase"`` -> ``("injects", 2, "phase")``;
    ``"phases"`` -> ``("phases", None, "")``.

    A key without a part (an exercise field such as ``"name"``) comes back as ``(key, None, "")``.
    """
    part, _sep, rest = key.partition("[")
    if not rest:
        return key, None, ""
    index, _sep, field_name = rest.partition("].")
    return part, int(index), field_name


def _row_key(part: str, index: int, field_name: str) -> str:
    return f"{part}[{index}].{field_name}"


def _add(errors: Errors, key: str, message: str) -> None:
    messages = errors.setdefault(key, [])
    if message not in messages:
        messages.append(message)


def _row_clean(errors: Errors, part: str, index: int, instance: Any, exclude: Sequence[str]) -> None:
    """Field checks of one row (lengths, choices, blanks, constraints); relations are checked by the plan."""
    try:
        # Constraints are checked by the plan, with messages on the right field.
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                _add(errors, part if field_name == "__all__" else _row_key(part, index, field_name), message)


def _numbering_message(part: str) -> str:
    messages = {
        "phases": _("Phases must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
        "team_roles": _("Teams must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
        "injects": _("Injects must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
        "exercises": _("Exercises must be numbered 1 to %(count)s without gaps; missing: %(missing)s."),
    }
    return messages[part]


def _numbering_errors(errors: Errors, part: str, numbers: Sequence[int | None], field_name: str) -> None:
    """Numbers are unique and run 1..n: the order people read, and the references injects use."""
    seen: set[int] = set()
    duplicated = False
    for index, number in enumerate(numbers):
        if number is None:
            continue
        if number in seen:
            duplicated = True
            _add(errors, _row_key(part, index, field_name), _("Number %(number)s is used twice.") % {"number": number})
        seen.add(number)
    count = len(numbers)
    if not duplicated and None not in numbers and seen != set(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - seen)
        _add(
            errors,
            part,
            _numbering_message(part) % {"count": count, "missing": ", ".join(str(n) for n in missing)},
        )


def _ids_errors(errors: Errors, part: str, ids: Sequence[int | None], existing: Mapping[int, Any]) -> None:
    seen: set[int] = set()
    for index, pk in enumerate(ids):
        if pk is None:
            continue
        if pk not in existing:
            _add(errors, _row_key(part, index, "id"), _("This row is not part of the exercise."))
        elif pk in seen:
            _add(errors, _row_key(part, index, "id"), _("This row appears twice."))
        seen.add(pk)


def _retired_objective_errors(
    objectives: Sequence[LearningObjective], *, linked: Iterable[int], key: str, errors: Errors
) -> None:
    linked_ids = set(linked)
    retired = sorted(o.code for o in objectives if not o.is_active and o.pk not in linked_ids)
    if retired:
        _add(errors, key, _("Retired objectives cannot be added: %(codes)s.") % {"codes": ", ".join(retired)})


@dataclass
class _Existing:
    """The exercise's current rows, by id."""

    phases: dict[int, Phase]
    team_roles: dict[int, TeamRole]
    injects: dict[int, Inject]
    inject_objectives: dict[int, set[int]]

    @classmethod
    def of(cls, exercise: Exercise | None) -> "_Existing":
        if exercise is None or exercise.pk is None:
            return cls({}, {}, {}, {})
        links: dict[int, set[int]] = {}
        through = Inject.learning_objectives.through.objects.filter(inject__exercise=exercise)
        for inject_id, objective_id in through.values_list("inject_id", "learningobjective_id"):
            links.setdefault(inject_id, set()).add(objective_id)
        return cls(
            phases={p.pk: p for p in Phase.objects.filter(exercise=exercise)},
            team_roles={r.pk: r for r in TeamRole.objects.filter(exercise=exercise)},
            injects={i.pk: i for i in Inject.objects.filter(exercise=exercise)},
            inject_objectives=links,
        )


def _removal_errors(errors: Errors, plan: ExercisePlan, existing: _Existing) -> None:
    """Rows that runs depend on cannot go: a run's teams play the roles, a run's phases keep their times."""
    kept_phases = {p.id for p in plan.phases if p.id}
    removed_phases = [pk for pk in existing.phases if pk not in kept_phases]
    used = set(RunPhase.objects.filter(phase_id__in=removed_phases).values_list("phase_id", flat=True))
    for pk in sorted(used):
        _add(
            errors,
            "phases",
            _("The phase “%(name)s” has recorded times in a run and cannot be removed.")
            % {"name": existing.phases[pk].name},
        )
    kept_roles = {r.id for r in plan.team_roles if r.id}
    removed_roles = [pk for pk in existing.team_roles if pk not in kept_roles]
    used = set(RunTeam.objects.filter(team_role_id__in=removed_roles).values_list("team_role_id", flat=True))
    for pk in sorted(used):
        _add(
            errors,
            "team_roles",
            _("%(team)s plays in a run and cannot be removed.") % {"team": existing.team_roles[pk]},
        )


def _phase_errors(errors: Errors, plan: ExercisePlan, existing: _Existing) -> None:
    _ids_errors(errors, "phases", [p.id for p in plan.phases], existing.phases)
    names: dict[str, int] = {}
    for index, item in enumerate(plan.phases):
        # Values may be missing (None) in a row read from a file: full_clean reports them.
        values: dict[str, Any] = {
            "order": item.order,
            "name": item.name,
            "kind": item.kind,
            "planned_minutes": item.planned_minutes,
            "instructions": item.instructions,
        }
        _row_clean(errors, "phases", index, Phase(**values), exclude=["exercise"])
        if item.order is not None and item.order < 1:
            _add(errors, _row_key("phases", index, "order"), _("Numbers start at 1."))
        if item.planned_minutes is not None and item.planned_minutes < 1:
            _add(errors, _row_key("phases", index, "planned_minutes"), _("A phase must last at least one minute."))
        # Injects and the master events list name phases: two phases with one name would be ambiguous.
        folded = item.name.strip().casefold()
        if folded and folded in names:
            _add(
                errors,
                _row_key("phases", index, "name"),
                _("Another phase is already named “%(name)s”.") % {"name": item.name},
            )
        names.setdefault(folded, index)
    _numbering_errors(errors, "phases", [p.order for p in plan.phases], "order")


def _team_role_errors(errors: Errors, plan: ExercisePlan, existing: _Existing) -> None:
    _ids_errors(errors, "team_roles", [r.id for r in plan.team_roles], existing.team_roles)
    for index, item in enumerate(plan.team_roles):
        values: dict[str, Any] = {
            "number": item.number,
            "name": item.name,
            "agency_kind": item.agency_kind,
            "briefing": item.briefing,
            "tasks": item.tasks,
        }
        _row_clean(errors, "team_roles", index, TeamRole(**values), exclude=["exercise"])
        if item.number is not None and item.number < 1:
            _add(errors, _row_key("team_roles", index, "number"), _("Numbers start at 1."))
    _numbering_errors(errors, "team_roles", [r.number for r in plan.team_roles], "number")


def _inject_errors(errors: Errors, plan: ExercisePlan, existing: _Existing, *, keep_retired: bool) -> None:
    _ids_errors(errors, "injects", [i.id for i in plan.injects], existing.injects)
    phase_minutes = {p.order: p.planned_minutes for p in plan.phases if p.order is not None}
    phase_names = {p.order: p.name for p in plan.phases if p.order is not None}
    team_numbers = {r.number for r in plan.team_roles if r.number is not None}
    inject_numbers = {i.number for i in plan.injects if i.number is not None}
    for index, item in enumerate(plan.injects):
        values: dict[str, Any] = {
            "number": item.number,
            "title": item.title,
            "body": item.body,
            "kind": item.kind,
            "channel": item.channel,
            "sender": item.sender,
            "minute_offset": item.minute_offset,
            "expected_actions": item.expected_actions,
        }
        _row_clean(errors, "injects", index, Inject(**values), exclude=["exercise", "phase", "depends_on"])
        if item.number is not None and item.number < 1:
            _add(errors, _row_key("injects", index, "number"), _("Numbers start at 1."))
        if item.phase is not None:
            minutes = phase_minutes.get(item.phase)
            if item.phase not in phase_minutes:
                _add(
                    errors,
                    _row_key("injects", index, "phase"),
                    _("There is no phase number %(number)s.") % {"number": item.phase},
                )
            elif minutes and item.minute_offset is not None and item.minute_offset >= minutes:
                _add(
                    errors,
                    _row_key("injects", index, "minute_offset"),
                    _("The offset must fall inside the phase “%(phase)s”: 0 to %(last)s minutes.")
                    % {"phase": phase_names[item.phase], "last": minutes - 1},
                )
        unknown_teams = sorted({n for n in item.target_teams if n not in team_numbers})
        if unknown_teams:
            _add(
                errors,
                _row_key("injects", index, "target_teams"),
                _("There is no team number %(numbers)s.") % {"numbers": ", ".join(str(n) for n in unknown_teams)},
            )
        if item.depends_on is not None:
            if item.depends_on == item.number:
                _add(errors, _row_key("injects", index, "depends_on"), _("An inject cannot depend on itself."))
            elif item.depends_on not in inject_numbers:
                _add(
                    errors,
                    _row_key("injects", index, "depends_on"),
                    _("There is no inject number %(number)s.") % {"number": item.depends_on},
                )
        if not keep_retired:
            _retired_objective_errors(
                item.learning_objectives,
                linked=existing.inject_objectives.get(item.id, set()) if item.id else (),
                key=_row_key("injects", index, "learning_objectives"),
                errors=errors,
            )
    _numbering_errors(errors, "injects", [i.number for i in plan.injects], "number")
    _dependency_cycle_errors(errors, plan)


def _dependency_cycle_errors(errors: Errors, plan: ExercisePlan) -> None:
    depends = {
        i.number: i.depends_on
        for i in plan.injects
        if i.number is not None and i.depends_on is not None and i.depends_on != i.number
    }
    index_of = {i.number: index for index, i in enumerate(plan.injects) if i.number is not None}
    reported: set[int] = set()
    for start in sorted(depends):
        path = [start]
        current = depends.get(start)
        while current is not None and current not in path:
            path.append(current)
            current = depends.get(current)
        if current is None or current in reported:
            continue
        cycle = path[path.index(current) :]
        text = " → ".join(str(n) for n in [*cycle, cycle[0]])
        for number in cycle:
            reported.add(number)
            _add(
                errors,
                _row_key("injects", index_of[number], "depends_on"),
                _("Injects %(cycle)s depend on each other in a circle.") % {"cycle": text},
            )


def exercise_plan_errors(*, exercise: Exercise | None, plan: ExercisePlan, keep_retired: bool = False) -> Errors:
    """Every problem of ``plan`` for ``exercise`` (None for a new one); empty when it may be saved."""
    return _plan_errors(plan=plan, existing=_Existing.of(exercise), keep_retired=keep_retired)


def _plan_errors(*, plan: ExercisePlan, existing: _Existing, keep_retired: bool = False) -> Errors:
    errors: Errors = {}
    _phase_errors(errors, plan, existing)
    _team_role_errors(errors, plan, existing)
    _inject_errors(errors, plan, existing, keep_retired=keep_retired)
    _removal_errors(errors, plan, existing)
    return errors


def _plan_apply(*, exercise: Exercise, plan: ExercisePlan, existing: _Existing) -> None:
    """Write a validated plan: delete what is gone, update what stays, create what is new."""
    kept_phases = [p.id for p in plan.phases if p.id]
    kept_roles = [r.id for r in plan.team_roles if r.id]
    kept_injects = [i.id for i in plan.injects if i.id]
    Inject.objects.filter(exercise=exercise).exclude(pk__in=kept_injects).delete()
    Phase.objects.filter(exercise=exercise).exclude(pk__in=kept_phases).delete()
    TeamRole.objects.filter(exercise=exercise).exclude(pk__in=kept_roles).delete()
    Phase.objects.filter(exercise=exercise).update(order=F("order") + _RENUMBER_OFFSET)
    TeamRole.objects.filter(exercise=exercise).update(number=F("number") + _RENUMBER_OFFSET)
    Inject.objects.filter(exercise=exercise).update(number=F("number") + _RENUMBER_OFFSET, depends_on=None)

    phases: dict[int | None, Phase] = {}
    for p in plan.phases:
        phase = existing.phases.get(p.id) if p.id else None
        phase = phase or Phase(exercise=exercise)
        phase.order, phase.name, phase.kind = p.order, p.name, p.kind  # type: ignore[assignment]
        phase.planned_minutes, phase.instructions = p.planned_minutes, p.instructions  # type: ignore[assignment]
        phase.save()
        phases[p.order] = phase

    roles: dict[int | None, TeamRole] = {}
    new_roles: list[TeamRole] = []
    for r in plan.team_roles:
        role = existing.team_roles.get(r.id) if r.id else None
        if role is None:
            role = TeamRole(exercise=exercise)
            new_roles.append(role)
        role.number, role.name, role.agency_kind = r.number, r.name, r.agency_kind  # type: ignore[assignment]
        role.briefing, role.tasks = r.briefing, r.tasks
        role.save()
        roles[r.number] = role
    _run_teams_for_new_roles(exercise=exercise, roles=new_roles)

    injects: dict[int | None, Inject] = {}
    for i in plan.injects:
        inject = existing.injects.get(i.id) if i.id else None
        inject = inject or Inject(exercise=exercise)
        inject.number, inject.title, inject.body = i.number, i.title, i.body  # type: ignore[assignment]
        inject.kind, inject.channel, inject.sender = i.kind, i.channel, i.sender
        inject.phase = phases.get(i.phase) if i.phase is not None else None
        inject.minute_offset = i.minute_offset or 0
        inject.expected_actions = i.expected_actions
        inject.depends_on = None
        inject.save()
        injects[i.number] = inject
    for i in plan.injects:
        if i.depends_on is not None:
            inject = injects[i.number]
            inject.depends_on = injects[i.depends_on]
            inject.save(update_fields=["depends_on"])

    targets = Inject.target_roles.through
    links = Inject.learning_objectives.through
    targets.objects.filter(inject__exercise=exercise).delete()
    links.objects.filter(inject__exercise=exercise).delete()
    targets.objects.bulk_create(
        [
            targets(inject_id=injects[i.number].pk, teamrole_id=roles[n].pk)
            for i in plan.injects
            for n in dict.fromkeys(i.target_teams)
        ]
    )
    links.objects.bulk_create(
        [
            links(inject_id=injects[i.number].pk, learningobjective_id=o.pk)
            for i in plan.injects
            for o in {o.pk: o for o in i.learning_objectives}.values()
        ]
    )


def _run_teams_for_new_roles(*, exercise: Exercise, roles: Sequence[TeamRole]) -> None:
    """A run still being planned gets a team for a role added to its exercise, as it has for the others."""
    if not roles:
        return
    runs = ExerciseRun.objects.filter(
        exercise=exercise, status=ExerciseRun.Status.PLANNED, teams_confirmed_at__isnull=True
    ).values_list("pk", flat=True)
    RunTeam.objects.bulk_create([RunTeam(run_id=run_id, team_role=role) for run_id in runs for role in roles])


def exercise_plan_of(*, exercise: Exercise) -> ExercisePlan:
    """The exercise's current plan, with ids, in the shape the writes take."""
    phases = list(exercise.phases.order_by("order"))
    order_of = {p.pk: p.order for p in phases}
    roles = list(exercise.team_roles.order_by("number"))
    number_of_role = {r.pk: r.number for r in roles}
    injects = list(
        exercise.injects.select_related("depends_on").prefetch_related("target_roles", "learning_objectives")
    )
    return ExercisePlan(
        phases=[
            PhaseInput(
                id=p.pk,
                order=p.order,
                name=p.name,
                kind=p.kind,
                planned_minutes=p.planned_minutes,
                instructions=p.instructions,
            )
            for p in phases
        ],
        team_roles=[
            TeamRoleInput(
                id=r.pk, number=r.number, name=r.name, agency_kind=r.agency_kind, briefing=r.briefing, tasks=r.tasks
            )
            for r in roles
        ],
        injects=[
            InjectInput(
                id=i.pk,
                number=i.number,
                title=i.title,
                body=i.body,
                kind=i.kind,
                channel=i.channel,
                sender=i.sender,
                phase=order_of.get(i.phase_id) if i.phase_id else None,
                minute_offset=i.minute_offset,
                target_teams=sorted(number_of_role[r.pk] for r in i.target_roles.all()),
                expected_actions=i.expected_actions,
                learning_objectives=sorted(i.learning_objectives.all(), key=lambda o: (o.order, o.code)),
                depends_on=i.depends_on.number if i.depends_on else None,
            )
            for i in sorted(injects, key=lambda i: i.number)
        ],
    )


def _exercise_slug_errors(slug: str) -> Errors:
    if slug in RESERVED_EXERCISE_SLUGS:
        return {"slug": [_("“%(slug)s” is used by the site's own pages; choose another slug.") % {"slug": slug}]}
    return {}


def _free_exercise_slug(text: str) -> str:
    slug = unique_slug(Exercise, text)
    return unique_slug(Exercise, f"{text} exercise") if slug in RESERVED_EXERCISE_SLUGS else slug


def _exercise_minutes_errors(minutes: int | None) -> Errors:
    if minutes is not None and minutes < 1:
        return {"planned_minutes": [_("The planned duration must be at least one minute.")]}
    return {}


def _exercise_objective_errors(
    objectives: Sequence[LearningObjective], *, linked: Iterable[int] = (), keep_retired: bool = False
) -> Errors:
    errors: Errors = {}
    if not keep_retired:
        _retired_objective_errors(objectives, linked=linked, key="learning_objectives", errors=errors)
    return errors


def _exercise_create(
    *,
    fields: Mapping[str, Any],
    learning_objectives: Sequence[LearningObjective],
    plan: ExercisePlan | None,
    variant_of: Exercise | None = None,
    keep_retired: bool = False,
    validate_plan: bool = True,
) -> Exercise:
    values = dict(fields)
    values["country"] = (values.get("country") or "").upper()
    given_slug = values.get("slug") or ""
    values["slug"] = given_slug or _free_exercise_slug(values.get("name") or "")
    exercise = Exercise(**values, variant_of=variant_of)
    plan = plan or ExercisePlan()
    errors = merge_errors(
        country_code_errors(country=values["country"]),
        _exercise_slug_errors(given_slug),
        _exercise_minutes_errors(values.get("planned_minutes")),
        _exercise_objective_errors(learning_objectives, keep_retired=keep_retired),
        exercise_plan_errors(exercise=None, plan=plan, keep_retired=keep_retired) if validate_plan else {},
    )
    model_full_clean(instance=exercise, errors=errors)
    exercise.save()
    exercise.learning_objectives.set(learning_objectives)
    _plan_apply(exercise=exercise, plan=plan, existing=_Existing.of(None))
    return exercise


@transaction.atomic
def exercise_create(
    *,
    name: str,
    planned_minutes: int,
    kind: str = Exercise.Kind.SIMULATION,
    slug: str = "",
    aim: str = "",
    scenario: str = "",
    materials: str = "",
    facilitator_guidelines: str = "",
    tips: str = "",
    online_variation: str = "",
    debriefing_guidance: str = "",
    country: str = "",
    learning_objectives: Sequence[LearningObjective] = (),
    plan: ExercisePlan | None = None,
) -> Exercise:
    """A new exercise, with its phases, team roles and injects when ``plan`` is given."""
    fields = {
        "name": name,
        "planned_minutes": planned_minutes,
        "kind": kind,
        "slug": slug,
        "aim": aim,
        "scenario": scenario,
        "materials": materials,
        "facilitator_guidelines": facilitator_guidelines,
        "tips": tips,
        "online_variation": online_variation,
        "debriefing_guidance": debriefing_guidance,
        "country": country,
    }
    return _exercise_create(fields=fields, learning_objectives=learning_objectives, plan=plan)


@transaction.atomic
def exercise_update(*, exercise: Exercise, data: Mapping[str, Any], plan: ExercisePlan | None = None) -> Exercise:
    """Change the exercise's own fields and objectives, and replace its plan when ``plan`` is given.

    Plan rows with an ``id`` keep their identity (runs, observations and handouts refer to them);
    rows left out are removed, unless a run depends on them.
    """
    Exercise.objects.select_for_update().filter(pk=exercise.pk).values_list("pk").get()
    data = dict(data)
    objectives = data.pop("learning_objectives", None)
    if "country" in data:
        data["country"] = (data["country"] or "").upper()
    changed = model_apply(instance=exercise, fields=EXERCISE_FIELDS, data=data)
    errors = merge_errors(
        country_code_errors(country=exercise.country),
        _exercise_slug_errors(exercise.slug) if "slug" in changed else {},
        _exercise_minutes_errors(exercise.planned_minutes),
    )
    if objectives is not None:
        linked = exercise.learning_objectives.values_list("pk", flat=True)
        errors = merge_errors(errors, _exercise_objective_errors(objectives, linked=linked))
    existing = _Existing.of(exercise)
    # Taken before _plan_apply, which updates the existing phases in place.
    phases_before = _phases_shown(existing.phases.values())
    if plan is not None:
        errors = merge_errors(errors, _plan_errors(plan=plan, existing=existing))
    model_full_clean(instance=exercise, errors=errors)
    if changed or plan is not None:
        # A new plan changes the guide too: updated_at is what cached agendas compare.
        exercise.save(update_fields=[*changed, "updated_at"])
    if objectives is not None:
        exercise.learning_objectives.set(objectives)
    if plan is not None:
        _plan_apply(exercise=exercise, plan=plan, existing=existing)
    # A run lasts its phases (or the planned duration without them): its calendar event ends elsewhere.
    phases_changed = plan is not None and phases_before != _phases_shown(plan.phases)
    if phases_changed or "planned_minutes" in changed:
        _runs_rescheduled(exercise=exercise)
    if changed or plan is not None:
        # The exercise's name and phases show on the agendas of the cohorts that run it.
        cohort_schedule_bump(cohort_ids=ExerciseRun.objects.filter(exercise=exercise).values("cohort_id"))
    return exercise


def _phases_shown(phases: Iterable[Phase | PhaseInput]) -> list[tuple[Any, ...]]:
    """What a run's calendar event says of the phases: their order, names and lengths."""
    return sorted(((p.order or 0), p.name, p.planned_minutes) for p in phases)


@transaction.atomic
def exercise_duplicate(*, exercise: Exercise, name: str = "", country: str = "", slug: str = "") -> Exercise:
    """A variant of ``exercise`` (for another country, say): the same guide, phases, teams, injects and
    handout titles, as new rows. Objectives are copied as they are, retired ones included: the variant
    is the same exercise. Handout files are not copied; the variant gets its own.
    """
    country = (country or exercise.country).upper()
    if not name:
        name = f"{exercise.name} ({country})" if country else _("%(name)s (copy)") % {"name": exercise.name}
    plan = exercise_plan_of(exercise=exercise)
    for rows in (plan.phases, plan.team_roles, plan.injects):
        for row in rows:
            row.id = None  # type: ignore[attr-defined]  # each row type has an id
    fields = {f: getattr(exercise, f) for f in EXERCISE_FIELDS}
    fields.update(name=name, country=country, slug=slug)
    copy = _exercise_create(
        fields=fields,
        learning_objectives=list(exercise.learning_objectives.all()),
        plan=plan,
        variant_of=exercise,
        keep_retired=True,
        # The source plan was accepted when it was saved; the copy keeps it exactly as it is.
        validate_plan=False,
    )
    Handout.objects.bulk_create(
        [
            Handout(exercise=copy, title=h.title, description=h.description, order=h.order)
            for h in exercise.handouts.all()
        ]
    )
    return copy


# --- courses: their exercises, in order ----------------------------------------------------------


@transaction.atomic
def course_exercises_set(*, course: Course, items: Sequence[tuple[int | None, Exercise]]) -> list[CourseExercise]:
    """Set which exercises a course has and in what order: ``items`` pairs an order number with an exercise.

    Errors are keyed ``exercises[<index>].order`` / ``.exercise`` and ``exercises``.
    """
    errors: Errors = {}
    seen: set[int] = set()
    for index, (_order, exercise) in enumerate(items):
        if exercise.pk in seen:
            _add(
                errors,
                _row_key("exercises", index, "exercise"),
                _("“%(name)s” is listed twice.") % {"name": exercise.name},
            )
        seen.add(exercise.pk)
    _numbering_errors(errors, "exercises", [order for order, _exercise in items], "order")
    if errors:
        raise ValidationError(errors)
    existing = {ce.exercise_id: ce for ce in CourseExercise.objects.filter(course=course)}
    CourseExercise.objects.filter(course=course).exclude(exercise_id__in=seen).delete()
    result = []
    for order, exercise in items:
        item = existing.get(exercise.pk) or CourseExercise(course=course, exercise=exercise)
        if item.pk is None or item.order != order:
            item.order = order or 0
            item.save()
        result.append(item)
    return result


# --- master events list import ---------------------------------------------------------------


class _Rollback(Exception):
    """Leaves the import's savepoint without keeping anything."""


@transaction.atomic
def exercise_mel_import(*, content: bytes, filename: str, exercise: Exercise | None = None) -> Any:
    """Import a master events list (see exercises.mel and the README).

    Without ``exercise`` the file becomes a new exercise; with it, the file replaces the exercise's
    phases, team roles and injects (matched by number, so runs keep their teams). All rows or
    nothing: any problem raises ``mel.MelImportError`` listing every wrong cell by line and column.
    """
    from exercises import mel  # mel builds on the plan shapes defined in this module

    parsed = mel.mel_parse(content=content, filename=filename, exercise=exercise)
    errors = list(parsed.errors)
    result: Exercise | None = None
    try:
        with transaction.atomic():
            try:
                if exercise is not None:
                    result = exercise_update(exercise=exercise, data={}, plan=parsed.plan)
                elif parsed.exercise_line is not None:
                    result = exercise_create(**parsed.exercise_fields, plan=parsed.plan)
                else:  # no exercise row (already reported): still check the plan, for one full report
                    errors.extend(mel.mel_errors_from(exercise_plan_errors(exercise=None, plan=parsed.plan), parsed))
            except ValidationError as exc:
                errors.extend(mel.mel_errors_from(exc.message_dict, parsed))
            if errors:
                raise _Rollback
    except _Rollback:
        if exercise is not None:
            exercise.refresh_from_db()
        raise mel.MelImportError(errors=errors) from None
    assert result is not None  # the savepoint either saved an exercise or raised
    return mel.MelImportResult(
        exercise=result,
        created=exercise is None,
        phases=len(parsed.plan.phases),
        team_roles=len(parsed.plan.team_roles),
        injects=len(parsed.plan.injects),
        warnings=parsed.warnings,
    )
