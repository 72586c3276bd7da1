"""Issue 7, item 27: the roster export offers `;` (Excel in Polish or German opens `,` files in one column),
remembers the person's choice, keeps UTF-8 with a BOM, and imports back either way."""

import csv
import io

import pytest
from django.urls import reverse

from participants import selectors, services
from participants.tests.factories import EnrolmentFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(facilitator):
    cohort = CohortFactory(capacity=5, facilitators=[facilitator])
    EnrolmentFactory(cohort=cohort, participant__user__first_name="Łucja", participant__user__last_name="Wójcik")
    return cohort


def _page(client, cohort, **params):
    return client.get(reverse("participants:roster_export", kwargs={"slug": cohort.slug}), params)


def _api(api_client, cohort, **params):
    return api_client.get(f"/api/v1/cohorts/{cohort.pk}/roster/export/", params)


@pytest.mark.parametrize("path", ["page", "api"])
def test_a_semicolon_is_offered_remembered_and_kept_with_the_bom(client, api_client, facilitator, cohort, path):
    web = client if path == "page" else api_client
    web.force_login(facilitator)
    export = (lambda **p: _page(client, cohort, **p)) if path == "page" else (lambda **p: _api(api_client, cohort, **p))

    first = export()
    assert first.content.startswith(b"\xef\xbb\xbfemail,first_name,")
    chosen = export(delimiter="semicolon")
    assert chosen.status_code == 200
    assert chosen.content.startswith("\ufeffemail;first_name;last_name;".encode())
    record = next(csv.DictReader(io.StringIO(chosen.content.decode("utf-8-sig")), delimiter=";"))
    assert (record["first_name"], record["last_name"]) == ("Łucja", "Wójcik")
    facilitator.refresh_from_db()
    assert facilitator.export_delimiter == ";"
    assert export().content.startswith("\ufeffemail;".encode())  # remembered
    assert export(delimiter="comma").content.startswith(b"\xef\xbb\xbfemail,")
    assert export().content.startswith(b"\xef\xbb\xbfemail,")
    assert export(delimiter="tab").status_code == 400


def test_the_roster_page_offers_the_choice_with_the_persons_own_selected(client, facilitator, cohort):
    client.force_login(facilitator)
    _page(client, cohort, delimiter="semicolon")
    page = client.get(reverse("participants:cohort_roster", kwargs={"slug": cohort.slug}))
    html = page.content.decode()
    assert 'name="delimiter"' in html
    assert '<option value="semicolon" selected>' in html
    assert [choice["value"] for choice in page.context["delimiters"] if choice["selected"]] == ["semicolon"]


def test_a_semicolon_export_imports_back(client, facilitator, cohort):
    client.force_login(facilitator)
    exported = _page(client, cohort, delimiter="semicolon").content
    upload = services.roster_import_create(cohort=cohort, uploaded_by=None, filename="back.csv", content=exported)
    preview = selectors.roster_import_preview(roster_import=upload)
    assert [(row.ok, row.person, row.place) for row in preview.rows] == [(True, "unchanged", "already")]
