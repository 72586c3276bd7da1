"""The live exercise end to end in two browsers: the facilitator works the console on a phone, a participant
plays in the police team's room on a laptop.

1. the facilitator starts the run; 2. releases an inject; 3. the team room shows it without a reload;
4. the participant acknowledges it and messages the border guard, which the facilitator's timeline shows
without a reload; 5. the facilitator records an observation on the phone; 6. the run summary shows all of it.
"""

import pytest
from playwright.sync_api import expect

from conduct.models import InjectDelivery, Message, Observation
from conduct.tests.rooms import room_run
from exercises.tests.factories import InjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "concord-pass-1"  # the factories' password


def _sign_in(page, live_server, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_run_from_the_console_to_the_summary_in_two_browsers(page, browser, live_server):
    room = room_run(start=False)
    phase = room.run.exercise.phases.order_by("order").first()
    inject = InjectFactory(
        exercise=room.run.exercise, number=1, title="Six persons at the border", phase=phase, minute_offset=5
    )
    inject.target_roles.add(room.police.team_role)
    blocked: list[str] = []

    # The facilitator, on a phone (the page fixture is 390×844).
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(page, live_server, room.facilitator.email)
    console = f"{live_server.url}/runs/{room.run.pk}/console/"
    page.goto(console)
    page.get_by_role("button", name="Start the run").click()  # 1.
    expect(page.get_by_text("Phase 1 of 2")).to_be_visible()

    # The participant, on a laptop, opens the police room before anything is released.
    laptop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    laptop.set_default_timeout(15000)
    alice = laptop.new_page()
    alice.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(alice, live_server, room.alice.email)
    alice.goto(f"{live_server.url}/runs/{room.run.pk}/teams/{room.police.pk}/")
    expect(alice.get_by_text("No injects have reached your team yet.")).to_be_visible()

    board = page.locator(f"#board-inject-{inject.pk}")
    board.get_by_role("button", name="Release now").click()  # 2.
    expect(page.locator(f"#board-inject-{inject.pk}")).to_contain_text("Released")
    page.goto(f"{live_server.url}/runs/{room.run.pk}/timeline/")  # the facilitator follows the timeline

    heading = alice.get_by_role("heading", name="Six persons at the border")
    expect(heading).to_be_visible(timeout=5000)  # 3. no reload: the room's poll brought it
    alice.get_by_role("button", name="Acknowledge").click()  # 4.
    expect(alice.get_by_text(f"Acknowledged by {room.alice}")).to_be_visible()
    alice.get_by_label(str(room.border)).check()
    alice.get_by_label("Subject").fill("Irregular documents")
    alice.locator("textarea[name=body]").fill("We hold six persons with irregular documents.")
    alice.get_by_role("button", name="Send", exact=True).click()
    expect(alice.get_by_text("Message sent.")).to_be_visible()
    expect(page.locator("#timeline-live")).to_contain_text("Irregular documents", timeout=8000)  # live, no reload

    page.goto(console)  # 5. a quick observation, on the phone
    form = page.locator("form", has=page.get_by_role("button", name="Save the observation"))
    form.get_by_label("Team").select_option(label=str(room.police))
    form.get_by_label("Rating (1–5)").select_option("4")
    form.get_by_label("Note").fill("Police told the border guard within a minute.")
    form.get_by_label("May be shown in the debrief").check()
    form.get_by_role("button", name="Save the observation").click()
    expect(page.get_by_text("Observation saved.")).to_be_visible()

    page.goto(f"{live_server.url}/runs/{room.run.pk}/summary/")  # 6.
    injects = page.locator("section[aria-labelledby=injects-heading]")
    expect(injects).to_contain_text("Six persons at the border")
    expect(injects).to_contain_text(f"{room.police}: acknowledged after")
    matrix = page.locator("section[aria-labelledby=matrix-heading]")
    expect(matrix).to_contain_text("1 message delivered in all.")
    expect(page.locator("section[aria-labelledby=observations-heading]")).to_contain_text(
        "Police told the border guard within a minute."
    )
    laptop.close()

    delivery = InjectDelivery.objects.get(release__inject=inject)
    assert (delivery.team_id, delivery.acknowledged_by_id) == (room.police.pk, room.alice.pk)
    message = Message.objects.get(subject="Irregular documents")
    assert (message.sender_team_id, message.recipients.get().team_id) == (room.police.pk, room.border.pk)
    note = Observation.objects.get(run=room.run)
    assert (note.team_id, note.rating, note.shareable, note.phase_id) == (room.police.pk, 4, True, phase.pk)
    assert not blocked, blocked
