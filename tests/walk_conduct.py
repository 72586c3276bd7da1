"""Permission-walk expectations for a run's console: its phase clock, its injects and the facilitators' observations.

Working the clock is for coordinators and the run cohort's facilitators. The run's own participant
sees the run, so the console answers 403; people who cannot see the run get 404. Observations are
the exercise staff's: participants never see one (404, and an empty list); only the author edits
one (the coordinator, who reads it, gets 403 on the edit page). The inject board is the console's
(``conduct.release_inject``); the releases list is for the run's staff: empty for participants, and a
release of run A is 404 to everyone but its facilitator and the coordinator.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from conduct.models import InjectRelease
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "conduct:run_console": (LOGIN, 404, 403, 404, 200, 200),
    "api:runclock-detail": (REFUSED, 404, 403, 404, 200, 200),
    "conduct:observation_edit": (LOGIN, 404, 404, 404, 200, 403),
    "conduct:run_notebook": (LOGIN, 404, 403, 404, 200, 200),
    "api:observation-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:observation-detail": (REFUSED, 404, 404, 404, 200, 200),
    "api:injectboard-detail": (REFUSED, 404, 403, 404, 200, 200),
    "api:injectrelease-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:injectrelease-detail": (REFUSED, 404, 404, 404, 200, 200),
}


def _release(w: World) -> InjectRelease:
    """A release of run A's first inject to the participant's team (the world has none of its own)."""
    inject = w.exercise.injects.get(number=1)
    release, created = InjectRelease.objects.get_or_create(
        run=w.run,
        inject=inject,
        defaults={"status": "released", "title": inject.title, "at": w.observation.observed_at},
    )
    if created:
        release.teams.add(w.team)
    return release


TARGETS: dict[str, Callable[[World], Any]] = {
    "conduct:run_console": lambda w: w.run,
    "conduct:run_notebook": lambda w: w.run,
    # The edit page's URL names the run and the observation (the facilitator's, in run A).
    "conduct:observation_edit": lambda w: SimpleNamespace(pk=w.run.pk, observation_pk=w.observation.pk),
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "runclock": lambda w: w.run,
    "observation": lambda w: w.observation,
    "injectboard": lambda w: w.run,
    "injectrelease": _release,
}

SKIPPED: dict[str, str] = {
    f"api:runclock-{name}": "write action (POST), outside this read-only walk; see conduct/tests/test_clock_api.py"
    for name in ("start", "advance", "pause", "resume", "extend", "finish")
} | {
    f"api:injectboard-{name}": "write action (POST), outside this read-only walk; see conduct/tests/test_inject_api.py"
    for name in ("release", "skip", "adhoc", "auto-release")
}
