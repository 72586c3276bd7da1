"""Permission-walk expectations for a run's debrief: its timeline, its summary and its hot-wash board.

All of it is for coordinators and the run cohort's facilitators. The run's own participant sees the
run, so its pages answer 403; people who cannot see the run get 404. Hot-wash points are the staff's:
participants never see one (404, and an empty list); only the author edits one (the coordinator, who
reads it, gets 403 on the edit page).
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from conduct.models import HotwashItem
from conduct.tests.factories import HotwashItemFactory
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "conduct:run_timeline": (LOGIN, 404, 403, 404, 200, 200),
    "conduct:run_summary": (LOGIN, 404, 403, 404, 200, 200),
    "conduct:run_hotwash": (LOGIN, 404, 403, 404, 200, 200),
    "conduct:hotwash_edit": (LOGIN, 404, 404, 404, 200, 403),
    "api:runtimeline-detail": (REFUSED, 404, 403, 404, 200, 200),
    "api:runsummary-detail": (REFUSED, 404, 403, 404, 200, 200),
    "api:hotwashitem-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:hotwashitem-detail": (REFUSED, 404, 404, 404, 200, 200),
}


def _hotwash(world: World) -> HotwashItem:
    """The facilitator's point on run A's board, made once per world."""
    item = getattr(world, "_hotwash_item", None)
    if item is None:
        item = HotwashItemFactory(run=world.run, author=world.users["facilitator"], team=world.team)
        world._hotwash_item = item  # type: ignore[attr-defined]
    return item


TARGETS: dict[str, Callable[[World], Any]] = {
    "conduct:run_timeline": lambda w: w.run,
    "conduct:run_summary": lambda w: w.run,
    "conduct:run_hotwash": lambda w: w.run,
    "conduct:hotwash_edit": lambda w: SimpleNamespace(pk=w.run.pk, item_pk=_hotwash(w).pk),
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "runtimeline": lambda w: w.run,
    "runsummary": lambda w: w.run,
    "hotwashitem": _hotwash,
}
