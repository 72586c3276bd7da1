"""A coordinator edits an exercise on a phone: moves a phase up, adds an inject, and saves each section.

The starting exercise is written with the service; everything after goes through the pages with
editor.js running (under the site's Content-Security-Policy). The database is read at the end.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import CoordinatorFactory
from exercises import services
from exercises.plans import ExercisePlan, InjectInput, PhaseInput, TeamRoleInput
from trainings.models import AgencyKind

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "concord-pass-1"  # the factories' password


def _label(text: str) -> re.Pattern[str]:
    """A field's whole label, which Django ends with a colon."""
    return re.compile(rf"^{re.escape(text)}:?$")


def _row(page: Page, name: str):  # type: ignore[no-untyped-def]
    """The row whose summary names ``name`` (every row's kind menu offers "Preparation" and "Crisis")."""
    return page.locator("[data-editor-row]").filter(has=page.locator("[data-editor-title]", has_text=name))


def _exercise():
    return services.exercise_create(
        name="Interviewing suspects",
        slug="interviewing-suspects",
        planned_minutes=45,
        plan=ExercisePlan(
            phases=[
                PhaseInput(order=1, name="Preparation", kind="preparation", planned_minutes=15),
                PhaseInput(order=2, name="Crisis", kind="crisis", planned_minutes=30),
            ],
            team_roles=[TeamRoleInput(number=1, name="Police", agency_kind=AgencyKind.POLICE)],
            injects=[InjectInput(number=1, title="A suspect runs", body="Run.", phase=2, minute_offset=5)],
        ),
    )


def test_a_coordinator_moves_a_phase_up_adds_an_inject_and_saves(page: Page, live_server, login) -> None:
    CoordinatorFactory(email="coordinator@example.org")
    exercise = _exercise()
    login("coordinator@example.org", PASSWORD)

    page.goto(f"{live_server.url}/exercises/interviewing-suspects/edit/phases/")
    sections = page.get_by_role("navigation", name="Sections of the exercise")
    expect(sections).to_be_in_viewport()
    expect(sections.get_by_role("link", name=re.compile("^Phases"))).to_have_attribute("aria-current", "page")
    titles = page.locator("[data-editor-list] [data-editor-title]")
    expect(titles).to_have_text(["Phase 1: Preparation", "Phase 2: Crisis"])

    crisis = _row(page, "Crisis")
    crisis.get_by_role("button", name="Move up").click()
    # Moved in the page, not sent: renumbered, announced, and the keyboard stays on the row's tools.
    expect(titles).to_have_text(["Phase 1: Crisis", "Phase 2: Preparation"])
    expect(page.locator("[data-editor-status]")).to_have_text("Moved to position 1 of 2.")
    expect(crisis.get_by_role("button", name="Move down")).to_be_focused()
    expect(page.locator("[data-editor-state]")).to_have_text("Changes not saved yet")
    assert list(exercise.phases.order_by("order").values_list("name", flat=True)) == ["Preparation", "Crisis"]
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Phases of “Interviewing suspects” saved.")).to_be_visible()
    expect(titles).to_have_text(["Phase 1: Crisis", "Phase 2: Preparation"])

    page.get_by_role("navigation", name="Sections of the exercise").get_by_role(
        "link", name=re.compile("^Injects")
    ).click()
    page.get_by_role("button", name="Add inject").click()
    new = page.locator("[data-editor-row]").last
    expect(new.get_by_label(_label("Number"))).to_have_value("2")
    expect(new.get_by_label(_label("Title"))).to_be_focused()  # the first field after the number
    new.get_by_label(_label("Title")).fill("The embassy calls")
    new.get_by_label(_label("Message")).fill("A consul asks about a national of theirs.")
    new.get_by_label(_label("Phase")).fill("2")
    new.get_by_label(_label("Minute offset")).fill("10")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Injects of “Interviewing suspects” saved.")).to_be_visible()
    expect(page.locator("[data-editor-list] [data-editor-title]")).to_have_text(
        ["Inject 1: A suspect runs", "Inject 2: The embassy calls"]
    )

    # On a wide screen the tools sit at the end of each row's summary; "Remove" can be undone before saving.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/exercises/interviewing-suspects/edit/phases/")
    preparation = _row(page, "Preparation")
    remove = preparation.get_by_role("checkbox", name="Remove")
    remove.check()
    expect(preparation.get_by_text("Will be removed when you save.")).to_be_visible()
    remove.uncheck()
    expect(preparation.get_by_text("Will be removed when you save.")).to_be_hidden()

    phases = list(exercise.phases.order_by("order").values_list("order", "name"))
    assert phases == [(1, "Crisis"), (2, "Preparation")]
    injects = list(exercise.injects.order_by("number").values_list("number", "title", "phase__name", "minute_offset"))
    assert injects == [(1, "A suspect runs", "Crisis", 5), (2, "The embassy calls", "Preparation", 10)]
