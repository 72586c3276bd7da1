import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from privacy.services import retention_sweep


class Command(BaseCommand):
    help = "Anonymise the people of cohorts that ended more than CONCORD_RETENTION_COHORT_DAYS ago (unless held)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Count the period back from this day.")

    def handle(self, *args: Any, **options: Any) -> None:
        erased = retention_sweep(today=options.get("today"))
        self.stdout.write(f"erased {erased} people past the retention period")
