"""Fixtures shared by every app's tests."""

import os
import socket
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory

# Fixtures for every app that sends email one person per task: a refusing mail server, worker-like retries.
from core.tests.mailbox import flaky, worker_like_retries  # noqa: F401

# Concurrency tests in threads skip without PostgreSQL (core.tests.threads).
from core.tests.threads import postgres  # noqa: F401

# In CI every property test draws the same examples, so a red run can be replayed and a green one stays green.
# Neither profile has a per-example deadline: a busy machine made one flaky, and speed is the benchmarks' job.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pytest_configure(config: pytest.Config) -> None:
    """Compile the translation catalogues before any test (make does too; this covers a bare pytest)."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has compiled them
        return
    from scripts.compile_messages import compile_messages

    problems = compile_messages(Path(__file__).resolve().parent)
    if problems:
        raise pytest.UsageError("the translation catalogues do not compile:\n" + "\n".join(problems))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``services`` need the real Redis: skipped on a laptop without it, failed in CI."""
    if _reachable("127.0.0.1", 6379):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but Redis is unreachable on 127.0.0.1:6379")
    skip = pytest.mark.skip(reason="Redis is not running on 127.0.0.1:6379")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache() -> object:
    """Cached page fragments must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """Each test starts in the default language: a sign-in (``accounts.signals.apply_language``) or a page
    activates the person's language for the rest of the thread, as a request does, and must not carry it
    into the next test's services and commands."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def coordinator(db: None):  # type: ignore[no-untyped-def]
    return CoordinatorFactory(email="coordinator@test.org")


@pytest.fixture
def facilitator(db: None):  # type: ignore[no-untyped-def]
    return FacilitatorFactory(email="facilitator@test.org")
