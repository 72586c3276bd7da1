"""Reads for the team rooms and the cell room: what each side of a run sees, and the rooms' cheap poll.

A side is a team (its members, once the run's teams are confirmed) or a cell role (the people who play
it in the run's cell). The exercise staff (coordinators, the cohort's facilitators) see every side of
their runs. Pages and the API share these reads; each list is loaded in a fixed number of queries.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Role, User
from conduct.clock import Clock
from conduct.models import InjectDelivery, InjectRelease, Message, MessageRecipient
from conduct.selectors.clock import run_clock
from exercises.models import (
    CellRole,
    ExerciseRun,
    Handout,
    Inject,
    InjectAttachment,
    RunCellMember,
    RunTeam,
    TeamMembership,
)
from exercises.selectors.variants import TeamBriefing, team_briefing
from trainings import access
from trainings.models import Cohort, CohortMember

# --- who is which side -------------------------------------------------------------------------------


def confirmed_team_ids(*, user: Any) -> set[int]:
    """The teams the user plays in, in runs whose teams are confirmed."""
    if not user.is_authenticated:
        return set()
    return set(
        TeamMembership.objects.confirmed().filter(enrolment__participant__user=user).values_list("team_id", flat=True)
    )


def played_cell_roles(*, user: Any) -> set[tuple[int, int]]:
    """(run id, cell role id) for every cell role the user plays in a run's cell."""
    if not user.is_authenticated:
        return set()
    return set(
        RunCellMember.cell_roles.through.objects.filter(runcellmember__user=user).values_list(
            "runcellmember__run_id", "cellrole_id"
        )
    )


def message_sides(*, user: Any, run_id: int) -> tuple[set[int], set[int]]:
    """The user's team ids and played cell role ids in one run (for the message rule)."""
    teams = set(
        TeamMembership.objects.confirmed()
        .filter(run_id=run_id, enrolment__participant__user=user)
        .values_list("team_id", flat=True)
    )
    roles = {role for run, role in played_cell_roles(user=user) if run == run_id}
    return teams, roles


def _staff_runs_q(user: Any, prefix: str = "run__") -> Q:
    return Q(**{f"{prefix}cohort_id__in": access.facilitated_cohort_ids(user)})


def _sides_q(*, teams: Iterable[int], cell_roles: Iterable[tuple[int, int]], prefix: str = "") -> Q:
    """Messages sent by or to one of these teams or (run, cell role) pairs."""
    q = Q(**{f"{prefix}sender_team_id__in": list(teams)}) | Q(**{f"{prefix}recipients__team_id__in": list(teams)})
    for run_id, role_id in cell_roles:
        q |= Q(**{f"{prefix}run_id": run_id}) & (
            Q(**{f"{prefix}sender_cell_role_id": role_id}) | Q(**{f"{prefix}recipients__cell_role_id": role_id})
        )
    return q


# --- messages ----------------------------------------------------------------------------------------


def message_queryset(*, user: Any) -> QuerySet[Message]:
    """The messages the user sees (``conduct.view_message`` says the same of one), with what lists show."""
    messages = Message.objects.all()
    if not access.sees_everything(user):
        if not user.is_authenticated:
            return messages.none()
        sides = _sides_q(teams=confirmed_team_ids(user=user), cell_roles=played_cell_roles(user=user))
        ids = Message.objects.filter(_staff_runs_q(user, prefix="run__") | sides).values("pk")
        messages = messages.filter(pk__in=ids)
    return _message_loading(messages).order_by("-sent_at", "-pk")


def _message_loading(messages: QuerySet[Message]) -> QuerySet[Message]:
    recipients = MessageRecipient.objects.select_related("team__team_role", "cell_role", "first_read_by").order_by("pk")
    return messages.select_related(
        "sender_team__team_role", "sender_cell_role", "sent_by", "reply_to"
    ).prefetch_related(Prefetch("recipients", queryset=recipients))


@dataclass
class Thread:
    """A message and the replies below it, in the order they were sent."""

    root: Message
    replies: list[Message] = field(default_factory=list)

    @property
    def last_at(self) -> dt.datetime:
        return self.replies[-1].sent_at if self.replies else self.root.sent_at

    @property
    def messages(self) -> list[Message]:
        return [self.root, *self.replies]


def threads_build(messages: Iterable[Message]) -> list[Thread]:
    """Group messages by their first visible ancestor; the thread with the latest message comes first."""
    ordered = sorted(messages, key=lambda m: (m.sent_at, m.pk))
    by_id = {m.pk: m for m in ordered}
    threads: dict[int, Thread] = {}
    for message in ordered:
        root = message
        seen = {root.pk}
        while root.reply_to_id in by_id and root.reply_to_id not in seen:
            root = by_id[root.reply_to_id]
            seen.add(root.pk)
        if root.pk == message.pk:
            threads[root.pk] = Thread(root=message)
        else:
            threads[root.pk].replies.append(message)
    return sorted(threads.values(), key=lambda t: (t.last_at, t.root.pk), reverse=True)


def side_messages(
    *, run: ExerciseRun, team: RunTeam | None = None, cell_roles: Iterable[int] | None = None
) -> list[Message]:
    """The run's messages sent by or to a team, or by or to some cell roles (None: every message of the run)."""
    messages = Message.objects.filter(run=run)
    if team is not None:
        messages = messages.filter(pk__in=Message.objects.filter(_sides_q(teams=[team.pk], cell_roles=[])).values("pk"))
    elif cell_roles is not None:
        pairs = [(run.pk, role) for role in cell_roles]
        messages = messages.filter(pk__in=Message.objects.filter(_sides_q(teams=[], cell_roles=pairs)).values("pk"))
    return list(_message_loading(messages).order_by("sent_at", "pk"))


def thread_of(*, message: Message, messages: list[Message]) -> Thread | None:
    """The thread among ``messages`` that holds ``message``."""
    for thread in threads_build(messages):
        if any(m.pk == message.pk for m in thread.messages):
            return thread
    return None


# --- injects -----------------------------------------------------------------------------------------


def delivery_queryset(*, user: Any) -> QuerySet[InjectDelivery]:
    """Deliveries the user sees (``conduct.view_injectdelivery``): their confirmed teams', or their runs' as staff."""
    deliveries = InjectDelivery.objects.filter(release__status=InjectRelease.Status.RELEASED)
    if not access.sees_everything(user):
        if not user.is_authenticated:
            return deliveries.none()
        deliveries = deliveries.filter(
            Q(team__run__cohort_id__in=access.facilitated_cohort_ids(user))
            | Q(team_id__in=confirmed_team_ids(user=user))
        )
    attachments = InjectAttachment.objects.order_by("order", "pk")
    return deliveries.select_related(
        "release__inject", "release__delivered_by", "release__phase", "team__team_role", "acknowledged_by"
    ).prefetch_related(Prefetch("release__inject__attachments", queryset=attachments))


def team_delivery_list(*, team: RunTeam) -> list[InjectDelivery]:
    """The injects released to the team, newest first, with their attachments: two queries."""
    attachments = InjectAttachment.objects.order_by("order", "pk")
    return list(
        InjectDelivery.objects.filter(team=team, release__status=InjectRelease.Status.RELEASED)
        .select_related("release__inject", "release__delivered_by", "acknowledged_by")
        .prefetch_related(Prefetch("release__inject__attachments", queryset=attachments))
        .order_by("-release__at", "-release__pk")
    )


def team_attachment(*, team: RunTeam, attachment_pk: int) -> InjectAttachment | None:
    """An attachment of an inject released to the team (None otherwise: not yet, skipped, or another team's)."""
    reached = InjectDelivery.objects.filter(
        team=team, release__status=InjectRelease.Status.RELEASED, release__inject_id=OuterRef("inject_id")
    )
    return InjectAttachment.objects.filter(pk=attachment_pk).filter(Exists(reached)).first()


@dataclass(frozen=True)
class CellInject:
    """An inject one of the cell's roles delivers, and what became of it in the run (None: pending)."""

    inject: Inject | None
    release: InjectRelease | None

    @property
    def title(self) -> str:
        return self.release.title if self.release else self.inject.title if self.inject else ""

    @property
    def status(self) -> str:
        return self.release.status if self.release else "pending"


def cell_inject_list(*, run: ExerciseRun, cell_roles: Iterable[int]) -> list[CellInject]:
    """The planned injects these roles deliver (pending, released or skipped) and their ad-hoc releases."""
    roles = list(cell_roles)
    injects = list(
        Inject.objects.filter(exercise_id=run.exercise_id, delivered_by_id__in=roles)
        .select_related("delivered_by", "phase")
        .prefetch_related("target_roles")
        .order_by("phase__order", "minute_offset", "number")
    )
    releases = {
        r.inject_id: r for r in InjectRelease.objects.filter(run=run, inject__in=injects).select_related("delivered_by")
    }
    adhoc = InjectRelease.objects.filter(run=run, inject__isnull=True, delivered_by_id__in=roles).select_related(
        "delivered_by"
    )
    return [CellInject(inject=i, release=releases.get(i.pk)) for i in injects] + [
        CellInject(inject=None, release=r) for r in adhoc.order_by("at", "pk")
    ]


# --- the rooms ---------------------------------------------------------------------------------------


def live_token(*, version: int, now: dt.datetime) -> str:
    """What a room's page holds: the run's live version and the minute, so that the clock moves too."""
    return f"{version}-{int(now.timestamp()) // 60}"


@dataclass
class TeamRoom:
    run: ExerciseRun
    team: RunTeam
    briefing: TeamBriefing  # in the reader's language where the exercise has a variant in it
    clock: Clock
    deliveries: list[InjectDelivery]
    threads: list[Thread]
    unread: set[int]  # ids of messages to the team that it has not read
    token: str


def team_room_queryset(*, user: Any) -> QuerySet[RunTeam]:
    """The teams whose run the user sees (the room's rule then decides), with what the room shows."""
    return RunTeam.objects.visible_to(user).select_related("run__exercise", "run__cohort", "team_role")


def team_room(*, team: RunTeam, now: dt.datetime, language: str = "") -> TeamRoom:
    """Everything a team's room shows, in a fixed number of queries whatever the run's size; the
    briefing in ``language`` where a variant of the exercise has it (the exercise's own otherwise)."""
    run = ExerciseRun.objects.select_related("exercise", "cohort").get(pk=team.run_id)
    messages = side_messages(run=run, team=team)
    unread = {m.pk for m in messages for r in m.recipients.all() if r.team_id == team.pk and r.first_read_at is None}
    return TeamRoom(
        run=run,
        team=team,
        briefing=team_briefing(
            team_role=team.team_role, exercise=run.exercise, language=language or run.exercise.language
        ),
        clock=run_clock(run=run, now=now),
        deliveries=team_delivery_list(team=team),
        threads=threads_build(messages),
        unread=unread,
        token=live_token(version=run.live_version, now=now),
    )


@dataclass
class CellRoom:
    run: ExerciseRun
    clock: Clock
    roles: list[CellRole]  # the roles this person plays here (all of them for the staff)
    injects: list[CellInject]
    threads: list[Thread]
    unread: set[int]
    token: str
    teams: list[RunTeam]


def cell_room_queryset(*, user: Any) -> QuerySet[ExerciseRun]:
    """The runs whose cell room the user may find: the runs they see, and those whose cell they are in."""
    runs = ExerciseRun.objects.select_related("exercise", "cohort")
    if access.sees_everything(user):
        return runs
    if not user.is_authenticated:
        return runs.none()
    return runs.filter(Q(cohort_id__in=access.visible_cohort_ids(user)) | Q(cell_members__user=user)).distinct()


def cell_roles_for(*, run: ExerciseRun, user: Any) -> list[CellRole]:
    """The cell roles the user plays in the run; the exercise staff play any of them."""
    roles = CellRole.objects.filter(exercise_id=run.exercise_id).order_by("name")
    if not user.has_perm("conduct.run_clock", run):
        roles = roles.filter(players__run=run, players__user=user)
    return list(roles)


def cell_room(*, run: ExerciseRun, user: Any, now: dt.datetime) -> CellRoom:
    run = ExerciseRun.objects.select_related("exercise", "cohort").get(pk=run.pk)
    roles = cell_roles_for(run=run, user=user)
    role_ids = [r.pk for r in roles]
    staff = user.has_perm("conduct.run_clock", run)
    messages = side_messages(run=run, cell_roles=role_ids)
    played = {role for r, role in played_cell_roles(user=user) if r == run.pk}
    unread = {
        m.pk
        for m in messages
        for r in m.recipients.all()
        if r.cell_role_id in (role_ids if staff else played) and r.first_read_at is None
    }
    return CellRoom(
        run=run,
        clock=run_clock(run=run, now=now),
        roles=roles,
        injects=cell_inject_list(run=run, cell_roles=role_ids),
        threads=threads_build(messages),
        unread=unread,
        token=live_token(version=run.live_version, now=now),
        teams=list(RunTeam.objects.filter(run=run).select_related("team_role").order_by("team_role__number")),
    )


# --- the poll: one query for the version and the right to see it --------------------------------------

VISIBLE, FORBIDDEN, MISSING = "visible", "forbidden", "missing"


def _staff_of(user: Any, cohort_ref: str) -> Any:
    """Exists(...) true when the user coordinates, or facilitates or coordinates the cohort at ``cohort_ref``."""
    coordinator = Exists(User.groups.through.objects.filter(user_id=user.pk, group__name=Role.COORDINATOR.value))
    facilitates = Exists(Cohort.facilitators.through.objects.filter(cohort_id=OuterRef(cohort_ref), user_id=user.pk))
    coordinates = Exists(Cohort.coordinators.through.objects.filter(cohort_id=OuterRef(cohort_ref), user_id=user.pk))
    return coordinator | facilitates | coordinates


def team_room_poll(*, run_id: int, team_id: int, user: Any) -> tuple[str, int]:
    """(access, live version) of a team's room in one query: the same answer as ``conduct.view_team_room``
    on a team found among ``team_room_queryset`` (MISSING: 404, FORBIDDEN: 403)."""
    if not user.is_authenticated or not user.is_active:
        return MISSING, 0
    row = (
        RunTeam.objects.filter(pk=team_id, run_id=run_id)
        .annotate(
            version=F("run__live_version"),
            staff=_staff_of(user, "run__cohort_id"),
            member=Exists(
                TeamMembership.objects.filter(
                    team_id=OuterRef("pk"), run__teams_confirmed_at__isnull=False, enrolment__participant__user=user
                )
            ),
            in_cohort=Exists(CohortMember.objects.filter(cohort_id=OuterRef("run__cohort_id"), user=user)),
        )
        .values_list("version", "staff", "member", "in_cohort")
        .first()
    )
    if row is None:
        return MISSING, 0
    version, staff, member, in_cohort = row
    staff = staff or user.is_superuser
    if staff or member:
        return VISIBLE, version
    return (FORBIDDEN if in_cohort else MISSING), 0


def cell_room_poll(*, run_id: int, user: Any) -> tuple[str, int]:
    """(access, live version) of a run's cell room in one query (``exercises.play_in_cell``)."""
    if not user.is_authenticated or not user.is_active:
        return MISSING, 0
    row = (
        ExerciseRun.objects.filter(pk=run_id)
        .annotate(
            staff=_staff_of(user, "cohort_id"),
            cell=Exists(RunCellMember.objects.filter(run_id=OuterRef("pk"), user=user)),
            in_cohort=Exists(CohortMember.objects.filter(cohort_id=OuterRef("cohort_id"), user=user)),
        )
        .values_list("live_version", "staff", "cell", "in_cohort")
        .first()
    )
    if row is None:
        return MISSING, 0
    version, staff, cell, in_cohort = row
    if staff or cell or user.is_superuser:
        return VISIBLE, version
    return (FORBIDDEN if in_cohort else MISSING), 0


# --- a team's printed handout ------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamHandout:
    run: ExerciseRun
    team: RunTeam
    members: list[TeamMembership]
    # The exercise's handouts (the manual's "Material 1", "Material 2"): every team gets each one.
    materials: list[Handout]


def team_handout(*, team: RunTeam) -> TeamHandout:
    """What a team's one-page handout prints: its briefing and tasks (on ``team.team_role``), its
    members, and the exercise's materials. Three queries besides ``team_room_queryset``'s."""
    run = ExerciseRun.objects.select_related("exercise", "cohort", "session").get(pk=team.run_id)
    members = list(
        team.memberships.select_related("enrolment__participant__user", "position").order_by(
            "enrolment__participant__user__last_name", "enrolment__participant__user__first_name"
        )
    )
    materials = list(Handout.objects.filter(exercise_id=run.exercise_id).order_by("order", "pk"))
    return TeamHandout(run=run, team=team, members=members, materials=materials)
