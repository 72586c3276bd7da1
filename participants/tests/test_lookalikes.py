"""Issue 7, item 11: every path that takes an address or a name treats look-alikes the same way.

``ana@exam\\u200bple.org`` and ``ana@exam\\u00adple.org`` were imported as two new people whose
mail went to ana@example.org, and a full-width look-alike passed the preview and failed the commit.
Each path below (the roster import, the enrol page, the API's participant and enrolment creation,
accounts.services.user_get_or_create) now refuses the invisible characters and stores the
full-width spelling as ASCII.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import user_get_or_create
from core.exceptions import ApplicationError
from participants import selectors, services
from participants.models import Enrolment, Participant
from participants.tests.factories import ParticipantFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

FULL_WIDTH = "ana@ｅｘａｍｐｌｅ.ｏｒｇ"
INVISIBLE = ["ana@exam\u200bple.org", "ana@exam\u00adple.org", "ana@example.org\u200e"]


def _roster(cohort, email: str, first_name: str = "Ana") -> str:
    """Upload and commit a one-row roster; the row's email error, or "" once committed."""
    content = f"email,first_name\n{email},{first_name}\n".encode()
    upload = services.roster_import_create(cohort=cohort, uploaded_by=None, filename="r.csv", content=content)
    [row] = selectors.roster_import_preview(roster_import=upload).rows
    if not row.ok:
        with pytest.raises(services.RosterImportError):
            services.roster_import_commit(roster_import=upload, by=None)
        return " ".join(row.messages)
    services.roster_import_commit(roster_import=upload, by=None)
    return ""


def _page(client, coordinator, cohort, email: str, first_name: str = "Ana") -> str:
    client.force_login(coordinator)
    data = {"email": email, "first_name": first_name, "status": "invited", "preferred_language": "en"}
    response = client.post(reverse("participants:enrol", kwargs={"slug": cohort.slug}), data)
    if response.status_code == 302:
        return ""
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


def _api_enrolment(api_client, coordinator, cohort, email: str, first_name: str = "Ana") -> str:
    api_client.force_login(coordinator)
    response = api_client.post(
        "/api/v1/enrolments/", {"cohort": cohort.pk, "email": email, "first_name": first_name}, format="json"
    )
    return "" if response.status_code == 201 else str(response.json())


def _api_participant(api_client, coordinator, cohort, email: str, first_name: str = "Ana") -> str:
    api_client.force_login(coordinator)
    response = api_client.post("/api/v1/participants/", {"email": email, "first_name": first_name}, format="json")
    return "" if response.status_code == 201 else str(response.json())


def _account(cohort, email: str, first_name: str = "Ana") -> str:
    try:
        user_get_or_create(email=email, first_name=first_name)
    except ApplicationError as error:
        return " ".join(error.messages)
    return ""


@pytest.fixture(params=["roster", "page", "api enrolment", "api participant", "account"])
def take(request, client, api_client, coordinator) -> Callable[..., str]:
    cohort = CohortFactory(capacity=10)
    return {
        "roster": lambda email, **names: _roster(cohort, email, **names),
        "page": lambda email, **names: _page(client, coordinator, cohort, email, **names),
        "api enrolment": lambda email, **names: _api_enrolment(api_client, coordinator, cohort, email, **names),
        "api participant": lambda email, **names: _api_participant(api_client, coordinator, cohort, email, **names),
        "account": lambda email, **names: _account(cohort, email, **names),
    }[request.param]


@pytest.mark.parametrize("email", INVISIBLE)
def test_an_address_with_invisible_characters_is_refused_on_every_path(take, email):
    people = User.objects.count()
    problem = take(email)
    assert "invisible or control characters" in problem
    assert User.objects.count() == people


def test_a_full_width_look_alike_is_stored_as_ascii_on_every_path(take):
    assert take(FULL_WIDTH) == ""
    assert User.objects.filter(email="ana@example.org").exists()
    assert all(email.isascii() for email in User.objects.values_list("email", flat=True))


def test_a_name_with_a_zero_width_space_is_refused_on_every_path(take):
    problem = take("ana@example.org", first_name="An\u200ba")
    assert "invisible or control characters" in problem
    assert not User.objects.filter(first_name__contains="\u200b").exists()


def test_the_roster_finds_an_existing_person_by_a_look_alike_and_commits():
    """The preview and the commit agree: the full-width address is Ana, already known."""
    ana = ParticipantFactory(user__email="ana@example.org")
    cohort = CohortFactory(capacity=5)
    content = f"email,first_name\n{FULL_WIDTH},{ana.user.first_name}\n".encode()
    upload = services.roster_import_create(cohort=cohort, uploaded_by=None, filename="r.csv", content=content)
    [row] = selectors.roster_import_preview(roster_import=upload).rows
    assert (row.email, row.person, row.place) == ("ana@example.org", "unchanged", "enrol")
    services.roster_import_commit(roster_import=upload, by=None)
    assert Enrolment.objects.get().participant == ana
    assert Participant.objects.count() == 1
