"""axe-core on every page of a role-by-role walk, at phone and desktop size (WCAG 2.2 AA, issue #12).

Each role signs in once; its pages are opened at 360×740 and at 1280×800, screenshotted into
test-artifacts/screenshots/en/<size>/, and checked with axe (WCAG 2.0–2.2 A/AA and best practices).
Colour contrast is checked again at phone size with the dark colour scheme emulated. Any serious or
critical violation fails the test, which lists every one it found.
"""

import pytest

from tests.browser.a11y import SIZES, WALKS, axe_violations, open_page, screenshot, sign_in, walk
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", list(WALKS))
def test_axe_walk(browser, live_server, role):
    world = build_world()
    visits = walk(world, role)
    context = browser.new_context(viewport=SIZES["phone"], locale="en-GB")
    context.set_default_timeout(15000)
    page = context.new_page()
    if role != "anonymous":
        sign_in(page, live_server.url, world.users[role].email)
    found: list[str] = []
    try:
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            for visit in visits:
                open_page(page, live_server.url, visit)
                screenshot(page, lang="en", size=size, name=f"{role}-{visit.name}")
                for problem in axe_violations(page):
                    found.append(f"{role} {size} {visit.path}: {problem}")
                if size == "phone":  # colours do not change with the width: one dark pass is enough
                    page.emulate_media(color_scheme="dark")
                    for problem in axe_violations(page, rules=["color-contrast"]):
                        found.append(f"{role} {size} dark {visit.path}: {problem}")
                    page.emulate_media(color_scheme="light")
    finally:
        page.goto("about:blank")  # stop the rooms' polls before the database is flushed
        context.close()
    assert not found, "\n".join(found)
