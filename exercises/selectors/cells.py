"""Reads for a run's simulation cell: its places, a person's own places, the cell room's address."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from exercises.models import CellRole, ExerciseRun, RunCellMember

# The cell room is conduct's page (``conduct:cell_room``); this is its address, for links from here.
CELL_ROOM_PATH = "/runs/{pk}/cell/"


def cell_room_url(*, run: ExerciseRun | int) -> str:
    """The path of the run's cell room, where role-players see their injects and answer in their roles."""
    pk = run if isinstance(run, int) else run.pk
    try:
        return reverse("conduct:cell_room", kwargs={"pk": pk})
    except NoReverseMatch:  # conduct's room not installed (its path is fixed by #8)
        return CELL_ROOM_PATH.format(pk=pk)


def cell_member_queryset(*, user: Any) -> QuerySet[RunCellMember]:
    """The places the user may see (RunCellMember visible_to), with what the list and the API show."""
    return (
        RunCellMember.objects.visible_to(user)
        .select_related("user", "invited_by", "run")
        .prefetch_related(Prefetch("cell_roles", queryset=CellRole.objects.order_by("name")))
        .order_by("run_id", "kind", "user__last_name", "user__first_name", "pk")
    )


def cell_member_list(*, run: ExerciseRun) -> list[RunCellMember]:
    """The run's cell, by kind then name, each with the roles they play: for those who manage it."""
    return list(
        RunCellMember.objects.filter(run=run)
        .select_related("user", "invited_by")
        .prefetch_related(Prefetch("cell_roles", queryset=CellRole.objects.order_by("name")))
        .order_by("kind", "user__last_name", "user__first_name", "pk")
    )


def cell_role_list(*, run: ExerciseRun) -> QuerySet[CellRole]:
    """The cell roles a place in this run may play: its exercise's."""
    return CellRole.objects.filter(exercise_id=run.exercise_id).order_by("name")


def cell_staff_candidates(*, run: ExerciseRun) -> QuerySet[User]:
    """The cohort's facilitators and named coordinators who have no place in the cell yet."""
    staff = Q(facilitated_cohorts=run.cohort_id) | Q(coordinated_cohorts=run.cohort_id)
    taken = RunCellMember.objects.filter(run=run).values("user_id")
    return (
        User.objects.filter(staff, is_active=True)
        .exclude(pk__in=taken)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def cell_place_list_for_user(*, user: Any) -> list[RunCellMember]:
    """The user's own places in cells of runs still to play (not finished or cancelled), for the dashboard."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        RunCellMember.objects.filter(user=user)
        .exclude(run__status__in=[ExerciseRun.Status.FINISHED, ExerciseRun.Status.CANCELLED])
        .select_related("run__exercise", "run__session", "run__cohort")
        .prefetch_related(Prefetch("cell_roles", queryset=CellRole.objects.order_by("name")))
        .order_by("run__session__starts_at", "run_id")
    )


def cell_place_for(*, run: ExerciseRun, user: Any) -> RunCellMember | None:
    """The user's place in the run's cell, if any."""
    if user is None or not user.is_authenticated:
        return None
    return (
        RunCellMember.objects.filter(run=run, user=user)
        .prefetch_related(Prefetch("cell_roles", queryset=CellRole.objects.order_by("name")))
        .first()
    )
