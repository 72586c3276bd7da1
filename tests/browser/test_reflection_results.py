"""A participant answers on a phone-sized page; the facilitator then reads the results as bars and texts."""

import pytest
from playwright.sync_api import expect

from reflections import services
from reflections.tests.answer_world import answer_world
from tests.browser.helpers import open_menu

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_participant_answers_and_the_facilitator_sees_the_results(page, live_server, login):
    world = answer_world(members=3, min_respondents=2)
    # Another member answered already: with this one, two respondents reach the threshold.
    services.response_submit(
        administration=world.administration, participant=world.members[1], answers=world.full_answers()
    )
    login(world.member.user.email, "concord-pass-1")
    page.get_by_role("link", name="After the simulation").click()
    page.get_by_role("textbox").fill("Phone the shelter before the raid.")
    page.get_by_role("radio", name="2").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Thank you: your answers are submitted.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    login(world.facilitator.email, "concord-pass-1")
    page.goto(f"{live_server.url}/reflections/administrations/{world.administration.pk}/results/")
    expect(page.get_by_role("heading", name="Results: After the simulation")).to_be_visible()
    expect(page.get_by_text("Phone the shelter before the raid.")).to_be_visible()
    scale = page.locator(f"[data-question='{world.scale.pk}']")
    expect(scale.get_by_text("2 answers · mean 3.0")).to_be_visible()
    expect(scale.locator("svg.bar rect[width='50']")).to_have_count(2)
