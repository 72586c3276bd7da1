import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from conduct.tests.factories import HotwashItemFactory
from exercises.tests.factories import ExerciseRunFactory
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from reports.models import ImprovementAction
from reports.tests.factories import ImprovementActionFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_facilitator_drafts_from_the_board_then_adds_one():
    facilitator = FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[facilitator]))
    police = AgencyFactory(name="Police PL", kind="police")
    EnrolmentFactory(cohort=run.cohort, participant=ParticipantFactory(agency=police))
    item = HotwashItemFactory(run=run, kind="improvement", text="Calls to the NGO came late", agency_kind="police")
    HotwashItemFactory(run=run, kind="strength", text="Good briefing")
    client = _client(facilitator)
    url = reverse("reports_actions:run_actions", kwargs={"pk": run.pk})
    page = client.get(url).content.decode()
    assert "Calls to the NGO came late" in page
    assert "Good briefing" not in page

    assert client.post(url, {"draft": "1", "items": [str(item.pk)]}).status_code == 302
    drafted = ImprovementAction.objects.get()
    assert (drafted.area, drafted.agency, drafted.run) == ("Calls to the NGO came late", police, run)
    assert "(drafted)" in client.get(url).content.decode()

    response = client.post(
        url, {"area": "Shelter list", "due_date": "2027-02-01", "status": "open", "contact_account": "nobody@x.test"}
    )
    assert response.status_code == 400
    assert "No active account" in response.content.decode()
    contact = ParticipantUserFactory(email="officer@police.test")
    response = client.post(
        url,
        {"area": "Shelter list", "due_date": "2027-02-01", "status": "open", "contact_account": "OFFICER@police.test"},
    )
    assert response.status_code == 302
    assert ImprovementAction.objects.get(area="Shelter list").contact == contact


def test_the_contact_updates_the_status_on_the_page_but_cannot_edit():
    contact = ParticipantUserFactory()
    action = ImprovementActionFactory(contact=contact)
    client = _client(contact)
    detail = reverse("reports_actions:action_detail", kwargs={"pk": action.pk})
    page = client.get(detail).content.decode()
    assert 'value="cancelled"' not in page  # cancelling is the staff's
    assert client.post(detail, {"status": "done", "note": "Agreement signed."}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.status_note) == ("done", "Agreement signed.")
    assert "Agreement signed." in client.get(detail).content.decode()
    edit = reverse("reports_actions:action_edit", kwargs={"pk": action.pk})
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"delete": "1"}).status_code == 403
    assert ImprovementAction.objects.filter(pk=action.pk).exists()


def test_list_groups_by_agency_filters_and_keeps_its_queries(django_assert_max_num_queries):
    coordinator = CoordinatorFactory()
    border, ngo = AgencyFactory(name="Border Guard"), AgencyFactory(name="NGO La Strada")
    today = timezone.localdate()
    for _ in range(3):
        ImprovementActionFactory(agency=border)
        ImprovementActionFactory(agency=ngo, due_date=today - dt.timedelta(days=3))
    ImprovementActionFactory(agency=None)
    ImprovementActionFactory(agency=ngo, status="done", completed_at=timezone.now())
    client = _client(coordinator)
    url = reverse("reports_actions:action_list")
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.index("Border Guard") < page.index("NGO La Strada") < page.index("Agency to be chosen")
    assert "7 actions" in page
    assert "4 actions" not in client.get(url, {"overdue": "on"}).content.decode()
    assert "3 actions" in client.get(url, {"overdue": "on"}).content.decode()
    assert "8 actions" in client.get(url, {"status": "all"}).content.decode()


def test_export_holds_only_what_the_person_sees():
    contact = ParticipantUserFactory()
    mine = ImprovementActionFactory(contact=contact, area="Mine")
    ImprovementActionFactory(area="Somebody else's")
    response = _client(contact).get(reverse("reports_actions:action_export"))
    assert response["Content-Disposition"] == 'attachment; filename="improvement-actions.csv"'
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("id,cohort,run,agency,area")
    assert len(rows) == 2
    assert rows[1].startswith(f"{mine.pk},")
