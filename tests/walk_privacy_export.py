"""Permission-walk expectations for the personal-data export (privacy): "Your data" for everyone signed in;
a person's data page for coordinators (the person themselves is sent to their own page); the API answers
POST only. Columns: anonymous, participant_other, participant, facilitator_other, facilitator,
coordinator. The person addressed is the world's participant."""

from collections.abc import Callable
from typing import Any

from tests.world import World

LOGIN = "redirect to login"

EXPECTED: dict[str, tuple[Any, ...]] = {
    "privacy:my_data": (LOGIN, 200, 200, 200, 200, 200),
    "privacy:person_data": (LOGIN, 403, "redirect to /account/data/", 403, 403, 200),
    # POST only; anonymous callers are asked to authenticate first.
    "api:personexport-list": (401, 405, 405, 405, 405, 405),
}
TARGETS: dict[str, Callable[[World], Any]] = {
    "privacy:person_data": lambda w: w.users["participant"],
}
