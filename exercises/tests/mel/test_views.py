"""The master events list's pages and API: download, upload, every problem shown, who may do what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises.mel.export import mel_export
from exercises.models import Exercise
from exercises.tests.factories import ExerciseRunFactory
from exercises.tests.mel.files import GOOD, mel_csv
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


# --- pages ---------------------------------------------------------------------------------------


def test_export_page_downloads_csv_and_xlsx(client, exercise):
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:exercise_export", kwargs={"slug": exercise.slug})
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{exercise.slug}-mel.csv"' in response["Content-Disposition"]
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert load_workbook(io.BytesIO(xlsx.content)).active["A2"].value == "exercise"
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_import_page_creates_and_shows_every_problem(client, objectives):
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:exercise_import")
    response = client.post(url, {"file": SimpleUploadedFile("plan.csv", mel_csv(GOOD))})
    exercise = Exercise.objects.get(name="From a spreadsheet")
    assert response["Location"] == exercise.get_absolute_url()

    bad = [dict(r) for r in GOOD]
    bad[5]["phase"] = "Nowhere"
    response = client.post(url, {"file": SimpleUploadedFile("plan.csv", mel_csv(bad))})
    html = response.content.decode()
    assert "Nothing was imported: the file has 1 problem(s)." in html
    assert "<td>7</td><td>Phase</td><td>No phase is named “Nowhere”.</td>" in html
    assert Exercise.objects.count() == 1


def test_import_page_reports_unreadable_files_on_the_field(client, settings):
    client.force_login(CoordinatorFactory())
    url = reverse("exercises:exercise_import")
    html = client.post(url, {"file": SimpleUploadedFile("plan.csv", b"\xff\xfe\xfd garbage \xe9")}).content.decode()
    assert "starts like UTF-16 text but is not" in html
    settings.CONCORD_MAX_UPLOAD_BYTES = 10
    html = client.post(url, {"file": SimpleUploadedFile("plan.csv", mel_csv(GOOD))}).content.decode()
    assert "The file is 832 bytes; the limit is 10 bytes." in html
    assert not Exercise.objects.exists()


def test_replace_page_is_for_coordinators_and_export_for_the_exercise_staff(client, exercise):
    facilitator = FacilitatorFactory()
    ExerciseRunFactory(exercise=exercise, cohort=CohortFactory(facilitators=[facilitator]))
    client.force_login(facilitator)
    assert client.get(reverse("exercises:exercise_export", kwargs={"slug": exercise.slug})).status_code == 200
    url = reverse("exercises:exercise_plan_import", kwargs={"slug": exercise.slug})
    assert client.post(url, {"file": SimpleUploadedFile("plan.csv", mel_csv(GOOD))}).status_code == 403
    assert (
        client.post(reverse("exercises:exercise_import"), {"file": SimpleUploadedFile("p.csv", b"")}).status_code == 403
    )
    assert exercise.injects.count() == 4


# --- API -----------------------------------------------------------------------------------------


def test_api_export_formats(api_client, exercise):
    api_client.force_authenticate(CoordinatorFactory())
    url = f"/api/v1/exercises/{exercise.pk}/export/"
    response = api_client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("Record,Number,Phase")
    assert api_client.get(url, {"format": "xlsx"})["Content-Type"].endswith("spreadsheetml.sheet")
    table = api_client.get(url, {"format": "json"}).json()
    assert table["columns"][:3] == ["Record", "Number", "Phase"]
    assert [row[0] for row in table["rows"]].count("inject") == 4


def test_api_import_creates_replaces_and_reports_errors(api_client, exercise, objectives):
    api_client.force_authenticate(CoordinatorFactory())
    created = api_client.post(
        "/api/v1/exercises/import/", {"file": SimpleUploadedFile("plan.csv", mel_csv(GOOD))}, format="multipart"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["created"] is True
    assert [i["number"] for i in created.json()["exercise"]["injects"]] == [1, 2]

    bad = [dict(r) for r in GOOD]
    bad[6]["depends_on"] = "5"
    refused = api_client.post(
        f"/api/v1/exercises/{exercise.pk}/import/",
        {"file": SimpleUploadedFile("p.csv", mel_csv(bad))},
        format="multipart",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"line": 8, "column": "Depends on", "message": "There is no inject number 5."}]
    assert exercise.injects.count() == 4

    xlsx = mel_export(exercise=created.json() and Exercise.objects.get(name="From a spreadsheet"), fmt="xlsx")
    replaced = api_client.post(
        f"/api/v1/exercises/{exercise.pk}/import/", {"file": SimpleUploadedFile("p.xlsx", xlsx)}, format="multipart"
    )
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["created"] is False
    assert exercise.injects.count() == 2

    unreadable = api_client.post(
        "/api/v1/exercises/import/", {"file": SimpleUploadedFile("p.csv", "é".encode("latin-1"))}, format="multipart"
    )
    assert unreadable.status_code == 400
    assert "not UTF-8" in unreadable.json()["non_field_errors"][0]


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (1024 * 1024 + 1, "The file is 1,048,577 bytes; the limit is 1,048,576 bytes."),
        (5 * 1024 * 1024, "The file is 5.0 MB; the limit is 1.0 MB."),
    ],
)
def test_oversized_uploads_are_told_their_real_size(api_client, client, settings, size, message):
    """Hardening item 12: one byte over the limit and five times the limit both read "The file is 1024 KB;
    the limit is 1024 KB" (core.tabular.size_error says the real size)."""
    settings.CONCORD_MAX_UPLOAD_BYTES = 1024 * 1024
    coordinator = CoordinatorFactory()
    api_client.force_authenticate(coordinator)
    upload = SimpleUploadedFile("plan.csv", b"x" * size)
    refused = api_client.post("/api/v1/exercises/import/", {"file": upload}, format="multipart")
    assert refused.status_code == 400
    assert refused.json() == {"file": [message]}
    client.force_login(coordinator)
    upload = SimpleUploadedFile("plan.csv", b"x" * size)
    html = client.post(reverse("exercises:exercise_import"), {"file": upload}).content.decode()
    assert message in html


def test_api_import_is_for_coordinators(api_client, exercise):
    facilitator = FacilitatorFactory()
    ExerciseRunFactory(exercise=exercise, cohort=CohortFactory(facilitators=[facilitator]))
    api_client.force_authenticate(facilitator)
    upload = {"file": SimpleUploadedFile("plan.csv", mel_csv(GOOD))}
    assert api_client.post("/api/v1/exercises/import/", upload, format="multipart").status_code == 403
    upload = {"file": SimpleUploadedFile("plan.csv", mel_csv(GOOD))}
    assert api_client.post(f"/api/v1/exercises/{exercise.pk}/import/", upload, format="multipart").status_code == 403
    assert api_client.get(f"/api/v1/exercises/{exercise.pk}/export/").status_code == 200
