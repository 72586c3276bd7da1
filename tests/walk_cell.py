"""Permission-walk expectations for a run's simulation cell: who is in it (#8 "The simulation cell").

Managing the cell is for coordinators and the run cohort's facilitators (``exercises.manage_cell``):
the run's own participant sees the run, so the page answers 403; people who cannot see it get 404.
A place is seen by whoever manages its run's cell, and by its holder. Guests of a cell are walked
through every URL in tests/test_cell_guest_walk.py.
"""

from collections.abc import Callable
from typing import Any

from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "exercises:run_cell": (LOGIN, 404, 403, 404, 200, 200),
    "api:runcellmember-list": (REFUSED, 200, 200, 200, 200, 200),
    # The facilitator's own place in run A's cell (see _facilitator_place).
    "api:runcellmember-detail": (REFUSED, 404, 404, 404, 200, 200),
}


def _facilitator_place(world: World) -> Any:
    from exercises.models import RunCellMember

    place, _created = RunCellMember.objects.get_or_create(
        run=world.run, user=world.users["facilitator"], defaults={"kind": RunCellMember.Kind.CONTROLLER}
    )
    return place


TARGETS: dict[str, Callable[[World], Any]] = {
    "exercises:run_cell": lambda w: w.run,
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "runcellmember": _facilitator_place,
}
