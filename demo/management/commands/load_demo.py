from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the manual's chapter 6 (inter-agency cooperation) as demo data; running it again changes nothing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. The demo accounts share a password printed here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo accounts with a shared, printed password must never appear on a real server by accident.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "load_demo creates accounts with a shared password, so it only runs with DEBUG on. "
                    "Set DJANGO_DEBUG=True, or pass --force if you really mean to load the demo here."
                )
            )
        demo_load(stdout=self.stdout)
