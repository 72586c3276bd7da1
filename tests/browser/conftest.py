"""Playwright driving Debian's chromium against pytest-django's live server.

Playwright cannot download its own browser here (see ../shared/TRAPS.md), so the suite installs
Debian's chromium (scripts/ensure-chromium.sh) and launches it by path.
"""

import os
import shutil
import time
from collections.abc import Iterator

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One worker runs all browser tests: a live server and a browser per worker is plenty.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: scripts/ensure-chromium.sh should have installed it")
        pytest.skip("Debian's chromium is not installed (make browsers)")
    # The sync API runs an event loop in this thread; Django's ORM calls from tests are still safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")  # a phone
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    # Stop the page's polls, then give requests in flight a moment to finish: on PostgreSQL the
    # database flush after the test deadlocked with a poll the live server was still answering.
    page.goto("about:blank")
    context.close()
    time.sleep(0.3)


@pytest.fixture
def login(page: object, live_server: object):  # type: ignore[no-untyped-def]
    def _login(email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{live_server.url}/")

    return _login
