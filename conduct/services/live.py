"""The rooms' change counter is the run's (``exercises.services.run_live_bump``); conduct's writes call it."""

from exercises.services import run_live_bump

__all__ = ["run_live_bump"]
