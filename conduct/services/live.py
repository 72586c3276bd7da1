"""The team rooms' change counter: every write that changes what a room or the cell room shows bumps it."""

from django.db.models import F

from exercises.models import ExerciseRun


def run_live_bump(*, run_id: int) -> None:
    """Add one to the run's ``live_version`` inside the caller's transaction (rooms poll it)."""
    ExerciseRun.objects.filter(pk=run_id).update(live_version=F("live_version") + 1)
