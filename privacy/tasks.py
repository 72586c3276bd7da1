"""Thin tasks: one service call each."""

from celery import shared_task

from privacy.services import retention_sweep


@shared_task
def retention_sweep_task() -> int:
    """Anonymise the people of cohorts past their retention period (beat, daily)."""
    return retention_sweep()
