"""The live exercise with the keyboard alone, and what a screen reader hears (issue #12).

A participant writes to the border guard from the team room with Tab, Space, typing and Enter; the
facilitator releases an inject from the console the same way. The room's live region then says
"New inject: …" without moving the participant's focus, and a later message is announced alone: what was
announced before is not read again.
"""

import pytest
from playwright.sync_api import expect

from conduct.models import Message
from conduct.services import message_send
from conduct.tests.rooms import room_run
from exercises.tests.factories import InjectFactory
from tests.browser.a11y import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, limit: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused_id(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("document.activeElement?.id ?? ''")


def test_keyboard_alone_sends_a_message_and_new_injects_are_announced(page, browser, live_server):
    room = room_run()
    phase = room.run.exercise.phases.order_by("order").first()
    inject = InjectFactory(
        exercise=room.run.exercise, number=1, title="Six persons at the border", phase=phase, minute_offset=5
    )
    inject.target_roles.add(room.police.team_role)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server.url, room.alice.email)
    page.goto(f"{live_server.url}/runs/{room.run.pk}/teams/{room.police.pk}/")
    announcer = page.locator("[data-live-announcer]")
    expect(announcer).to_have_attribute("aria-live", "polite")

    # Alice writes to the border guard with the keyboard alone.
    tab_to(page, "input[name=recipient_teams]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=subject]")
    page.keyboard.type("Irregular documents")
    page.keyboard.press("Tab")
    page.keyboard.type("We hold six persons with irregular documents.")
    tab_to(page, "button[value=send]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Message sent.")).to_be_visible()
    sent = Message.objects.get(subject="Irregular documents")
    assert sent.body == "We hold six persons with irregular documents."
    assert [r.team_id for r in sent.recipients.all()] == [room.border.pk]

    # She rests on her message's link, inside the part the poll replaces.
    tab_to(page, f"#message-link-{sent.pk}")
    expect(announcer).to_have_text("")  # what was there when the page loaded is not announced

    # The facilitator releases the inject from the console, with the keyboard too.
    laptop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    laptop.set_default_timeout(15000)
    console = laptop.new_page()
    console.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(console, live_server.url, room.facilitator.email)
    console.goto(f"{live_server.url}/runs/{room.run.pk}/console/")
    tab_to(console, f"#board-inject-{inject.pk} button[value=release]")
    console.keyboard.press("Enter")
    expect(console.locator(f"#board-inject-{inject.pk}")).to_contain_text("Released")
    laptop.close()

    expect(page.get_by_role("heading", name="Six persons at the border")).to_be_visible(timeout=5000)
    expect(announcer).to_have_text("New inject: Six persons at the border")
    assert focused_id(page) == f"message-link-{sent.pk}"  # the swap did not take the focus away

    # A reply arrives: only it is announced, the inject is not read again.
    message_send(
        run=room.run,
        by=room.bob,
        sender_team=room.border,
        subject="Received",
        body="We are on our way.",
        recipient_teams=[room.police],
    )
    expect(announcer).to_have_text(f"New message from {room.border}: Received", timeout=5000)
    assert focused_id(page) == f"message-link-{sent.pk}"
    assert not blocked, blocked
