"""Start Django for a benchmark on a throw-away test database, outside pytest."""

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def django_setup(*, sqlite_file: str | None = None) -> Any:
    """``sqlite_file``: on SQLite, a test database in that file rather than in memory (what a deployment
    on the embedded default writes to, commits and all)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases

    if sqlite_file and connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = sqlite_file

    # No setup_test_environment(): it instruments template rendering and would slow the pages measured.
    settings.ROOT_URLCONF = "benchmarks.bench_urls"
    settings.ALLOWED_HOSTS = ["*"]
    return setup_databases(verbosity=0, interactive=False)


def django_teardown(old_config: Any) -> None:
    from django.test.utils import teardown_databases

    teardown_databases(old_config, verbosity=0)


def median_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return value * 1000
