"""A participant answers a reflection questionnaire on a phone; the facilitator sees the response rate."""

import pytest
from playwright.sync_api import expect

from reflections.models import Draft, Response
from reflections.tests.answer_world import answer_world
from tests.browser.helpers import open_menu

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_participant_answers_on_a_phone_and_the_facilitator_sees_the_rate(page, live_server, login):
    world = answer_world(members=2)
    member = world.member.user
    login(member.email, "concord-pass-1")
    page.get_by_role("link", name="After the simulation").click()
    expect(page.get_by_text("This questionnaire is anonymous.")).to_be_visible()

    page.get_by_role("textbox").fill("Call the labour inspectorate sooner.")
    page.get_by_role("radio", name="4").check()
    # Saved as they go: htmx posts the form a second after a change.
    expect(page.locator("#draft-status")).to_contain_text("Draft saved at")
    assert Draft.objects.get().answers[str(world.scale.pk)] == 4

    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Thank you: your answers are submitted.")).to_be_visible()
    assert Response.objects.count() == 1
    assert not Draft.objects.exists()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    login(world.facilitator.email, "concord-pass-1")
    page.goto(f"{live_server.url}/reflections/administrations/{world.administration.pk}/progress/")
    expect(page.get_by_text("1 of 2 have answered (50%).")).to_be_visible()
