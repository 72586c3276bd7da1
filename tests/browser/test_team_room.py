"""A team member's room in the browser: a released inject appears without a reload (htmx's poll under the
Content-Security-Policy), is acknowledged, and a message goes to another team, which sees it live."""

import pytest
from playwright.sync_api import expect

from conduct.models import InjectDelivery, Message
from conduct.tests.factories import InjectDeliveryFactory, InjectReleaseFactory
from conduct.tests.rooms import room_run
from exercises.services import run_live_bump

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "concord-pass-1"  # the factories' password


def test_a_released_inject_appears_in_the_room_without_a_reload(page, browser, live_server, login):
    room = room_run()
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    login(room.alice.email, PASSWORD)
    page.goto(f"{live_server.url}/runs/{room.run.pk}/teams/{room.police.pk}/")
    expect(page.get_by_role("heading", name="Injects")).to_be_visible()
    expect(page.get_by_text("No injects have reached your team yet.")).to_be_visible()

    # The facilitator releases an inject (as the release service does: a delivery and a bump).
    release = InjectReleaseFactory(run=room.run, title="Six persons at the border")
    InjectDeliveryFactory(release=release, team=room.police)
    run_live_bump(run_id=room.run.pk)

    expect(page.get_by_role("heading", name="Six persons at the border")).to_be_visible(timeout=5000)
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text(f"Acknowledged by {room.alice}")).to_be_visible()
    assert InjectDelivery.objects.get(release=release).acknowledged_by_id == room.alice.pk

    # Alice tells the border guard; Bob, in another browser, sees it arrive without a reload.
    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    bob = other.new_page()
    bob.goto(f"{live_server.url}/accounts/login/")
    bob.get_by_label("Email").fill(room.bob.email)
    bob.get_by_label("Password").fill(PASSWORD)
    bob.get_by_role("button", name="Sign In").click()
    bob.wait_for_url(f"{live_server.url}/")
    bob.goto(f"{live_server.url}/runs/{room.run.pk}/teams/{room.border.pk}/")
    expect(bob.get_by_text("No messages yet.")).to_be_visible()

    page.get_by_label(str(room.border)).check()
    page.get_by_label("Subject").fill("Irregular documents")
    page.locator("textarea[name=body]").fill("We hold six persons with irregular documents.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Message sent.")).to_be_visible()

    expect(bob.get_by_role("link", name="Irregular documents")).to_be_visible(timeout=5000)
    bob.get_by_role("link", name="Irregular documents").click()
    expect(bob.get_by_text("We hold six persons with irregular documents.")).to_be_visible()
    assert Message.objects.get(subject="Irregular documents").recipients.get().first_read_by_id == room.bob.pk
    other.close()
    assert not blocked, blocked
