"""Writes for the live conduct of a run, by topic: the phase clock, inject releases, the facilitators'
observations and notebooks, the team rooms' acknowledgements and messages, the
hot-wash board."""

from conduct.services.clock import run_advance, run_extend, run_finish, run_pause, run_resume, run_start
from conduct.services.hotwash import (
    HOTWASH_MAX_LENGTH,
    hotwash_item_create,
    hotwash_item_delete,
    hotwash_item_update,
)
from conduct.services.injects import (
    ADHOC_BODY_MAX_LENGTH,
    ADHOC_TITLE_MAX_LENGTH,
    inject_adhoc,
    inject_release,
    inject_skip,
    inject_target_teams,
    injects_release_due,
    run_auto_release_set,
)
from conduct.services.notebooks import NOTEBOOK_MAX_LENGTH, notebook_save
from conduct.services.observations import OBSERVATION_MAX_LENGTH, observation_create, observation_update
from conduct.services.rooms import MESSAGE_MAX_LENGTH, delivery_acknowledge, message_read, message_send

__all__ = [
    "ADHOC_BODY_MAX_LENGTH",
    "ADHOC_TITLE_MAX_LENGTH",
    "HOTWASH_MAX_LENGTH",
    "MESSAGE_MAX_LENGTH",
    "NOTEBOOK_MAX_LENGTH",
    "OBSERVATION_MAX_LENGTH",
    "delivery_acknowledge",
    "hotwash_item_create",
    "hotwash_item_delete",
    "hotwash_item_update",
    "inject_adhoc",
    "inject_release",
    "inject_skip",
    "inject_target_teams",
    "injects_release_due",
    "message_read",
    "message_send",
    "notebook_save",
    "observation_create",
    "observation_update",
    "run_advance",
    "run_auto_release_set",
    "run_extend",
    "run_finish",
    "run_pause",
    "run_resume",
    "run_start",
]
