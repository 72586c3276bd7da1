"""The production settings with the benchmarks' URLs (the project's plus a bare view), for live_updates.py."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
