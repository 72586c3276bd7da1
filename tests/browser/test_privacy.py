"""Personal data on a phone: a participant finds the privacy notice from the sign-in page, downloads
everything held about them, and a coordinator erases a person from the roster."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import CoordinatorFactory
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_participant_reads_the_notice_and_downloads_their_data(page, live_server, login, tmp_path):
    enrolment = EnrolmentFactory(participant__user__email="zofia@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="How Concord handles your personal data").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Your participant profile")).to_be_visible()

    login("zofia@example.org", "concord-pass-1")
    page.goto(f"{live_server.url}/account/data/")
    page.get_by_role("button", name="Prepare my data export").click()
    link = page.get_by_role("link", name="Download concord-data-")
    expect(link).to_be_visible(timeout=10000)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        index = json.loads(archive.read("index.json"))
        enrolments = json.loads(archive.read("participants_enrolment.json"))
    assert index["person"] == enrolment.participant.user_id
    assert [row["cohort__name"] for row in enrolments] == [enrolment.cohort.name]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_coordinator_erases_a_person_from_the_roster(page, live_server, login):
    enrolment = EnrolmentFactory(participant__user__first_name="Zofia", participant__user__last_name="Nowicka")
    coordinator = CoordinatorFactory(email="ada@example.org")
    enrolment.cohort.coordinators.add(coordinator)
    person = enrolment.participant.user
    login("ada@example.org", "concord-pass-1")
    page.goto(f"{live_server.url}/cohorts/{enrolment.cohort.slug}/roster/")
    page.get_by_role("link", name="Personal data", exact=True).click()
    page.get_by_role("link", name="Erase personal data").click()

    page.get_by_label("Reason").fill("Asked by the person on 3 December.")
    page.get_by_label("Their e-mail address, to confirm").fill("someone-else@example.org")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_text("This is not the e-mail address of the person to erase.")).to_be_visible()

    page.get_by_label("Their e-mail address, to confirm").fill(person.email)
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_text("The person was erased.")).to_be_visible()

    page.goto(f"{live_server.url}/cohorts/{enrolment.cohort.slug}/roster/")
    expect(page.get_by_text(f"Erased person {person.pk}")).to_be_visible()
    expect(page.get_by_text("Nowicka")).to_have_count(0)
