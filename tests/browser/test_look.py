"""The header menu on a phone and a wide screen, with and without JavaScript; the roster as cards."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import FacilitatorFactory
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_phone_menu_opens_from_its_button_and_shows_who_is_signed_in(page, live_server, login):
    FacilitatorFactory(email="facilitator.with.a.long.address@border-guard.example.org")
    login("facilitator.with.a.long.address@border-guard.example.org", "concord-pass-1")
    toggle = page.get_by_role("button", name="Menu")
    main_nav = page.get_by_role("navigation", name="Main")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(main_nav).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(main_nav.get_by_role("link", name="Cohorts")).to_be_visible()
    expect(page.get_by_text("facilitator.with.a.long.address@border-guard.example.org")).to_be_visible()
    page.keyboard.press("Escape")
    expect(main_nav).to_be_hidden()
    expect(toggle).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wide_screen_shows_the_menu_without_a_button(browser, live_server):
    FacilitatorFactory(email="wide@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("wide@example.org")
    page.get_by_label("Password").fill("concord-pass-1")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    context.close()


def test_without_javascript_the_menu_stays_open(browser, live_server):
    FacilitatorFactory(email="nojs@example.org")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("nojs@example.org")
    page.get_by_label("Password").fill("concord-pass-1")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts")).to_be_visible()
    expect(page.get_by_text("nojs@example.org")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    context.close()


def test_the_roster_fits_a_phone_and_addresses_wrap_at_the_at(page, live_server, login):
    facilitator = FacilitatorFactory(email="staff@example.org")
    cohort = CohortFactory(facilitators=[facilitator])
    participant = ParticipantFactory(user__email="konstantinos.papadopoulos@hellenic-police.example.org")
    EnrolmentFactory(cohort=cohort, participant=participant, status="enrolled")
    login("staff@example.org", "concord-pass-1")
    page.goto(f"{live_server.url}/cohorts/{cohort.slug}/roster/")
    cell = page.locator("td.email").first
    expect(cell).to_be_visible()
    # A card per person: the row is a grid, each cell labelled; the address breaks only at its <wbr>s.
    assert cell.evaluate("td => getComputedStyle(td.parentElement).display") == "grid"
    assert cell.evaluate("td => getComputedStyle(td).wordBreak") == "normal"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Email"'
    assert cell.evaluate("td => td.scrollWidth <= td.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
