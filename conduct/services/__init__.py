"""Writes for the live conduct of a run, by topic: the phase clock and the facilitators' observations."""

from conduct.services.clock import run_advance, run_extend, run_finish, run_pause, run_resume, run_start
from conduct.services.observations import OBSERVATION_MAX_LENGTH, observation_create, observation_update

__all__ = [
    "OBSERVATION_MAX_LENGTH",
    "observation_create",
    "observation_update",
    "run_advance",
    "run_extend",
    "run_finish",
    "run_pause",
    "run_resume",
    "run_start",
]
