"""Reads for the live conduct of a run, by topic: the console's clock, observations and notebooks (clock),
the inject board (injects), the debrief's timeline, summary and hot-wash board (debrief). Pages and the API
share them."""

from conduct.selectors.clock import (
    observation_queryset,
    run_clock,
    run_clock_inputs,
    run_clock_queryset,
    run_notebook_list,
    run_observation_list,
)
from conduct.selectors.debrief import (
    hotwash_queryset,
    run_hotwash_list,
    run_summary,
    run_timeline,
)
from conduct.selectors.injects import (
    PENDING,
    RELEASED,
    SKIPPED,
    BoardAdhoc,
    BoardInject,
    BoardTeam,
    InjectBoard,
    inject_release_queryset,
    run_inject_board,
)

__all__ = [
    "PENDING",
    "RELEASED",
    "SKIPPED",
    "BoardAdhoc",
    "BoardInject",
    "BoardTeam",
    "InjectBoard",
    "hotwash_queryset",
    "inject_release_queryset",
    "observation_queryset",
    "run_clock",
    "run_clock_inputs",
    "run_clock_queryset",
    "run_hotwash_list",
    "run_inject_board",
    "run_notebook_list",
    "run_observation_list",
    "run_summary",
    "run_timeline",
]
