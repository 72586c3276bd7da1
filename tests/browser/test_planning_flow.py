"""A coordinator plans a course in the browser: cohort, agenda, exercise run, roster import, teams.

Only the starting world is written with the ORM (people, a course with an exercise, agencies);
everything after that goes through the pages, the way a coordinator would click through them.
The database is read at the end to check that what the pages showed is what was saved.
"""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises.models import ExerciseRun, TeamMembership
from exercises.tests.factories import CourseExerciseFactory, ExerciseFactory, PhaseFactory, TeamRoleFactory
from participants.models import Enrolment
from tests.browser.helpers import open_menu
from trainings.models import AgencyKind, Cohort
from trainings.tests.factories import AgencyFactory, CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "concord-pass-1"  # the factories' password
ROSTER = [
    # email, first name, last name, agency, position, country, language
    ("lucja.kowalska@example.org", "Łucja", "Kowalska", "Policja – Komenda Stołeczna", "Inspector", "PL", "pl"),
    ("stefan.popescu@example.org", "Ștefan", "Popescu", "Inspecția Muncii", "Labour inspector", "RO", "ro"),
    ("marek.zielinski@example.org", "Marek", "Zieliński", "Policja – Komenda Stołeczna", "Detective", "PL", "pl"),
    ("ioana.dumitrescu@example.org", "Ioana", "Dumitrescu", "Inspecția Muncii", "Inspector", "RO", "ro"),
    ("anna.schmidt@example.org", "Anna", "Schmidt", "La Strada", "Counsellor", "DE", "de"),
    ("gergana.petrova@example.org", "Gergana", "Petrova", "La Strada", "Case worker", "BG", "bg"),
]
NAMES = [f"{first} {last}" for _email, first, last, *_rest in ROSTER]
MOVED = "Łucja Kowalska"  # the person the coordinator moves to another team by hand


def _world() -> dict:
    """The starting point: a coordinator, a facilitator, agencies and a course with a timed exercise."""
    coordinator = CoordinatorFactory(email="coordinator@example.org", first_name="Ada", last_name="Marin")
    facilitator = FacilitatorFactory(email="zofia@example.org", first_name="Zofia", last_name="Wiśniewska")
    AgencyFactory(name="Policja – Komenda Stołeczna", kind=AgencyKind.POLICE, country="PL")
    AgencyFactory(name="Inspecția Muncii", kind=AgencyKind.LABOUR_INSPECTION, country="RO")
    AgencyFactory(name="La Strada", kind=AgencyKind.NGO, country="PL")
    course = CourseFactory(title="Recognising victims of trafficking", slug="recognising-victims")
    exercise = ExerciseFactory(name="Interviewing suspects", slug="interviewing-suspects", planned_minutes=60)
    for order, (name, minutes) in enumerate([("Preparation", 15), ("Preliminary phase", 15), ("Crisis phase", 30)]):
        PhaseFactory(exercise=exercise, order=order + 1, name=name, planned_minutes=minutes)
    roles = [
        ("Police / law enforcement", AgencyKind.POLICE),
        ("Labour inspectors", AgencyKind.LABOUR_INSPECTION),
        ("NGOs", AgencyKind.NGO),
    ]
    for number, (name, kind) in enumerate(roles, start=1):
        TeamRoleFactory(
            exercise=exercise, number=number, name=name, agency_kind=kind, briefing=f"Briefing for the {name} team."
        )
    CourseExerciseFactory(course=course, exercise=exercise, order=1)
    return {"coordinator": coordinator, "facilitator": facilitator, "course": course, "exercise": exercise}


def _roster_csv(path: Path) -> None:
    lines = ["email,first_name,last_name,agency,position,country,preferred_language"]
    lines += [",".join(row) for row in ROSTER]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _label(text: str) -> re.Pattern[str]:
    """A field's whole label (exact: "Exercise" is also the start of other labels)."""
    return re.compile(rf"^{re.escape(text)}$")


def _team_of(page: Page, name: str) -> str:
    """The team a person's select (labelled with their name) shows."""
    select = page.get_by_label(_label(name))
    return select.locator("option:checked").inner_text().strip()


def test_a_coordinator_plans_a_cohort_from_course_to_teams(page: Page, live_server, login, mailoutbox, tmp_path):  # type: ignore[no-untyped-def]
    world = _world()
    start = timezone.localdate() + dt.timedelta(days=14)
    end = start + dt.timedelta(days=2)
    url = live_server.url

    # 1. Sign in, find the course and create a cohort of it.
    login("coordinator@example.org", PASSWORD)
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    page.get_by_role("link", name="Recognising victims of trafficking").click()
    page.get_by_role("link", name="New cohort of this course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New cohort")
    page.get_by_label("Name").fill("Bucharest multi-agency cohort")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill(end.isoformat())
    page.get_by_label("Time zone").select_option("Europe/Bucharest")
    page.get_by_label("Delivery mode").select_option(label="In person")
    page.get_by_label("Venue").fill("Inspectoratul General, Sala Mare, București")
    page.get_by_label("Capacity").fill("12")
    page.get_by_label("Zofia Wiśniewska").check()
    page.get_by_role("button", name="Create the cohort").click()

    # The agenda of the new cohort opens, one section per day and nothing planned yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan the agenda of Bucharest multi-agency cohort")
    expect(page.get_by_text("Cohort “Bucharest multi-agency cohort” created.")).to_be_visible()
    expect(page.get_by_text("Nothing planned on this day.")).to_have_count(3)

    # 2. Add a session on the first day, then schedule the exercise into it.
    page.get_by_role("link", name="Add a session", exact=True).click()
    page.get_by_label("Title").fill("Simulation: interviewing suspects")
    expect(page.get_by_label("Day")).to_have_value(start.isoformat())
    page.get_by_label("Starts at").fill("09:00")
    page.get_by_label("Ends at").fill("10:30")
    page.get_by_label("Room").fill("Sala Mare")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Session “Simulation: interviewing suspects” added.")).to_be_visible()

    session_item = page.get_by_role("article", name="Simulation: interviewing suspects")
    # A session's actions sit in its "Actions" menu.
    session_item.locator("summary", has_text="Actions").click()
    session_item.get_by_role("link", name="Schedule an exercise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan an exercise run")
    page.get_by_label(_label("Exercise")).select_option(label="Interviewing suspects (this course)")
    session_label = f"{start:%Y-%m-%d} 09:00–10:30 · Simulation: interviewing suspects"
    expect(page.get_by_label("Session").locator("option:checked")).to_have_text(session_label)
    page.get_by_label("Lead facilitator").select_option(label="Zofia Wiśniewska")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“Interviewing suspects” is planned.")).to_be_visible()

    # On the cohort page the run's planned phases sit inside the session's time.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Bucharest multi-agency cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bucharest multi-agency cohort")
    session_item = page.get_by_role("article", name="Simulation: interviewing suspects")
    expect(session_item.get_by_role("link", name="Interviewing suspects", exact=True)).to_be_visible()
    phases = session_item.get_by_role("list", name="Planned phases").get_by_role("listitem")
    expect(phases).to_have_count(3)
    expect(phases.nth(0)).to_contain_text(re.compile(r"09:00\s*–\s*09:15\s*Preparation"))
    expect(phases.nth(1)).to_contain_text(re.compile(r"09:15\s*–\s*09:30\s*Preliminary phase"))
    expect(phases.nth(2)).to_contain_text(re.compile(r"09:30\s*–\s*10:00\s*Crisis phase"))

    # 3. Import the roster: upload, preview, import all.
    roster_file = tmp_path / "roster-bucuresti.csv"
    _roster_csv(roster_file)
    page.get_by_role("link", name="Import a roster").click()
    page.get_by_label("Roster file").set_input_files(roster_file)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster preview: roster-bucuresti.csv")
    rows = page.get_by_role("list", name="What each row of the file will do").locator(":scope > li")
    expect(rows).to_have_count(6)
    for name in NAMES:
        expect(rows.filter(has_text=name)).to_have_count(1)
    expect(rows.filter(has_text="Ștefan Popescu")).to_contain_text("Inspecția Muncii")
    expect(page.get_by_role("alert")).to_have_count(0)  # no row has a problem
    page.get_by_role("button", name="Import all").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Roster of Bucharest multi-agency cohort")
    expect(page.get_by_text("Imported 6 rows: 6 new people")).to_be_visible()
    expect(page.get_by_text("6 of 12 places taken.")).to_be_visible()
    for name in NAMES:
        expect(page.get_by_role("rowheader", name=name, exact=True)).to_be_visible()

    # 4. Open the run's team page, ask for a mixed proposal, move one person, confirm.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Bucharest multi-agency cohort").click()
    page.get_by_role("article", name="Simulation: interviewing suspects").get_by_role(
        "link", name="Interviewing suspects", exact=True
    ).click()
    page.get_by_role("link", name="Form teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams for Interviewing suspects")
    page.get_by_label("Mixed").check()
    page.get_by_role("button", name="Propose teams").click()
    expect(page.get_by_role("heading", name="Proposal: Mixed")).to_be_visible()

    team_cards = page.get_by_role("article").filter(has=page.get_by_role("heading", name=re.compile(r"^Team \d")))
    expect(team_cards).to_have_count(3)
    for index in range(3):
        # Six people from three agencies in three teams: two each, from two different agencies.
        expect(team_cards.nth(index).get_by_role("combobox")).to_have_count(2)
        expect(team_cards.nth(index)).to_contain_text("2 agencies")

    proposed = _team_of(page, MOVED)
    target = next(team for team in ("Team 1: Police / law enforcement", "Team 3: NGOs") if team != proposed)
    page.get_by_label(_label(MOVED)).select_option(label=target)
    page.get_by_role("button", name="Update the preview").click()
    expect(page.get_by_role("heading", name="Your teams (not saved yet)")).to_be_visible()
    target_card = page.get_by_role("article", name=target)
    expect(target_card.get_by_label(_label(MOVED))).to_be_visible()
    expect(target_card.get_by_role("combobox")).to_have_count(3)
    page.screenshot(path=str(tmp_path / "teams-preview.png"), full_page=True)
    chosen = {name: _team_of(page, name) for name in NAMES}
    assert chosen[MOVED] == target
    page.get_by_role("button", name="Confirm teams").click()

    expect(page.get_by_text("The teams are confirmed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interviewing suspects")
    for name, team in chosen.items():
        expect(page.get_by_role("article", name=team)).to_contain_text(name)
    page.screenshot(path=str(tmp_path / "teams-confirmed.png"), full_page=True)

    # What the pages showed is what was saved.
    cohort = Cohort.objects.get(name="Bucharest multi-agency cohort")
    assert cohort.course == world["course"]
    assert (cohort.start_date, cohort.end_date) == (start, end)
    assert (cohort.time_zone, cohort.delivery_mode, cohort.capacity) == ("Europe/Bucharest", "in_person", 12)
    assert cohort.venue == "Inspectoratul General, Sala Mare, București"
    assert list(cohort.facilitators.all()) == [world["facilitator"]]
    session = cohort.sessions.get()
    assert session.title == "Simulation: interviewing suspects"
    assert session.room == "Sala Mare"
    assert session.starts_at.astimezone(cohort.tz).replace(tzinfo=None) == dt.datetime.combine(start, dt.time(9))
    assert session.ends_at - session.starts_at == dt.timedelta(minutes=90)
    run = ExerciseRun.objects.get(cohort=cohort)
    assert (run.exercise, run.session, run.lead_facilitator) == (world["exercise"], session, world["facilitator"])
    assert run.teams_confirmed_by == world["coordinator"]
    enrolments = Enrolment.objects.filter(cohort=cohort).select_related("participant__user", "participant__agency")
    assert sorted(str(e.participant.user) for e in enrolments) == sorted(NAMES)
    assert {e.status for e in enrolments} == {Enrolment.Status.INVITED}
    stefan = next(e.participant for e in enrolments if e.participant.user.email == "stefan.popescu@example.org")
    assert (stefan.user.first_name, stefan.agency.name, stefan.country) == ("Ștefan", "Inspecția Muncii", "RO")
    saved = {str(m.enrolment.participant.user): str(m.team) for m in TeamMembership.objects.filter(run=run)}
    assert saved == chosen

    # 5. Łucja follows her invitation, sets a password and sees her own team's briefing, and no other.
    invitation = next(m for m in mailoutbox if m.to == ["lucja.kowalska@example.org"])
    link = next(word for word in invitation.body.split() if "/password/reset/key/" in word)
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto(url + urlsplit(link).path)
    page.get_by_label(_label("New Password")).fill("Ł-secret-2026!")
    page.get_by_label(_label("New Password (again)")).fill("Ł-secret-2026!")
    page.get_by_role("button", name=re.compile("Change Password", re.IGNORECASE)).click()
    expect(page.get_by_text(re.compile("password is now changed", re.IGNORECASE))).to_be_visible()
    login("lucja.kowalska@example.org", "Ł-secret-2026!")
    # Her roster row chose Polish: her pages are in Polish, whatever the browser says; she switches to English.
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    page.locator("#language-switcher-select").select_option("en")
    page.locator("form:has(#language-switcher-select) button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    my_teams = page.get_by_role("region", name="My teams")
    expect(my_teams.get_by_role("heading", name=target)).to_be_visible()
    expect(my_teams).to_contain_text(f"Briefing for the {target.split(': ', 1)[1]} team.")
    for other in {"Team 1: Police / law enforcement", "Team 2: Labour inspectors", "Team 3: NGOs"} - {target}:
        expect(page.get_by_text(f"Briefing for the {other.split(': ', 1)[1]} team.")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "participant-dashboard.png"), full_page=True)
