"""Permission-walk expectations for erasing a person (privacy): the page is for coordinators; the API
answers POST only. Columns: anonymous, participant_other, participant, facilitator_other, facilitator,
coordinator. The person addressed is the world's participant."""

from collections.abc import Callable
from typing import Any

from tests.world import World

LOGIN = "redirect to login"

EXPECTED: dict[str, tuple[Any, ...]] = {
    "privacy:person_erase": (LOGIN, 403, 403, 403, 403, 200),
    # POST only; anonymous callers are asked to authenticate first.
    "api:person-erase": (401, 405, 405, 405, 405, 405),
}
TARGETS: dict[str, Callable[[World], Any]] = {
    "privacy:person_erase": lambda w: w.users["participant"],
    "api:person-erase": lambda w: w.users["participant"],
}
