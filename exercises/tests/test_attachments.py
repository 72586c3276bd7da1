"""Inject attachments: uploading under the upload rules (exercises.services.attachments), the authoring
page, the staff download, the guide, the master events list and the API."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from core.exceptions import ApplicationError
from exercises.mel.export import mel_export
from exercises.models import InjectAttachment
from exercises.services.attachments import inject_attachment_add, inject_attachment_delete
from exercises.tests.factories import ExerciseFactory, ExerciseRunFactory, InjectFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a scanned passport\n"


@pytest.fixture
def inject():
    return InjectFactory(exercise=ExerciseFactory(slug="border-case"), number=1, title="Passports found")


@pytest.fixture
def coordinator_user():
    return CoordinatorFactory()


def _page(inject) -> str:
    return reverse("exercises:inject_attachments", kwargs={"slug": inject.exercise.slug, "number": inject.number})


def _download(attachment) -> str:
    return reverse(
        "exercises:attachment_download", kwargs={"slug": attachment.inject.exercise.slug, "pk": attachment.pk}
    )


def test_a_good_file_is_stored_under_a_clean_name_in_order(inject, coordinator_user):
    first = inject_attachment_add(
        inject=inject,
        name="../scans/pass\x07port.pdf",
        content=PDF,
        size=len(PDF),
        title=" Passport ",
        by=coordinator_user,
    )
    second = inject_attachment_add(inject=inject, name="map.txt", content=b"Map.", size=4, by=coordinator_user)
    assert first.file.name.startswith("injects/")
    assert first.file.name.rsplit("/", 1)[-1].startswith("passport")
    assert (first.title, first.order, second.order) == ("Passport", 1, 2)
    assert str(second) == second.file.name.rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("passport.pdf", b"<html>not a pdf</html>", "The file's content is not a .pdf file"),
        ("run.exe", b"MZ", "Files ending in .exe are not accepted"),
        ("slides.pptx", b"PK\x03\x04", "Files ending in .pptx are not accepted"),
    ],
)
def test_a_file_that_breaks_the_rules_is_refused_and_nothing_is_stored(
    inject, coordinator_user, name, content, message
):
    with pytest.raises(ApplicationError) as excinfo:
        inject_attachment_add(inject=inject, name=name, content=content, size=len(content), by=coordinator_user)
    assert excinfo.value.message_dict["file"][0].startswith(message)
    assert not InjectAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(inject, coordinator_user, settings):
    settings.CONCORD_MAX_UPLOAD_BYTES = 20
    with pytest.raises(ApplicationError, match="the limit is 20 bytes"):
        inject_attachment_add(inject=inject, name="a.pdf", content=PDF[:21], size=5000, by=coordinator_user)


def test_only_those_who_change_the_exercise_attach_or_remove(inject, coordinator_user):
    facilitator = FacilitatorFactory()
    with pytest.raises(ApplicationError):
        inject_attachment_add(inject=inject, name="a.pdf", content=PDF, size=len(PDF), by=facilitator)
    attachment = inject_attachment_add(inject=inject, name="a.pdf", content=PDF, size=len(PDF), by=coordinator_user)
    with pytest.raises(ApplicationError):
        inject_attachment_delete(attachment=attachment, by=facilitator)
    assert InjectAttachment.objects.count() == 1


def test_removing_an_attachment_deletes_its_file_after_commit(
    inject, coordinator_user, django_capture_on_commit_callbacks
):
    attachment = inject_attachment_add(inject=inject, name="a.pdf", content=PDF, size=len(PDF), by=coordinator_user)
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        inject_attachment_delete(attachment=attachment, by=coordinator_user)
    assert not InjectAttachment.objects.exists()
    assert not storage.exists(name)


def test_the_page_lists_uploads_and_removes(client, inject, coordinator_user):
    client.force_login(coordinator_user)
    assert "carries no files yet" in client.get(_page(inject)).content.decode()

    upload = SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")
    response = client.post(_page(inject), {"file": upload, "title": "Passport"}, follow=True)
    attachment = InjectAttachment.objects.get()
    html = response.content.decode()
    assert "“Passport” is attached to the inject." in html
    assert f'href="{_download(attachment)}"' in html

    refused = client.post(_page(inject), {"file": SimpleUploadedFile("fake.pdf", b"GIF89a")})
    assert refused.status_code == 200
    assert "The file&#x27;s content is not a .pdf file" in refused.content.decode()

    client.post(_page(inject), {"delete": attachment.pk})
    assert not InjectAttachment.objects.exists()


def test_the_page_refuses_an_inject_of_another_number_and_the_facilitator(client, inject):
    client.force_login(CoordinatorFactory())
    other = reverse("exercises:inject_attachments", kwargs={"slug": inject.exercise.slug, "number": 9})
    assert client.get(other).status_code == 404
    facilitator = FacilitatorFactory()
    ExerciseRunFactory(exercise=inject.exercise, cohort=CohortFactory(facilitators=[facilitator]))
    client.force_login(facilitator)
    assert client.get(_page(inject)).status_code == 403
    assert client.post(_page(inject), {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    assert not InjectAttachment.objects.exists()


def test_the_download_is_an_attachment_never_sniffed(client, inject, coordinator_user):
    attachment = inject_attachment_add(
        inject=inject, name="passport.pdf", content=PDF, size=len(PDF), by=coordinator_user
    )
    client.force_login(coordinator_user)
    response = client.get(_download(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    # An attachment of another exercise is not found under this one.
    other = ExerciseFactory()
    wrong = reverse("exercises:attachment_download", kwargs={"slug": other.slug, "pk": attachment.pk})
    assert client.get(wrong).status_code == 404


def test_the_guide_the_mel_and_the_api_list_attachments(client, api_client, inject, coordinator_user):
    attachment = inject_attachment_add(
        inject=inject, name="passport.pdf", content=PDF, size=len(PDF), by=coordinator_user
    )
    inject_attachment_add(inject=inject, name="map.png", content=b"\x89PNG\r\n\x1a\nrest", size=12, by=coordinator_user)
    names = [a.file.name.rsplit("/", 1)[-1] for a in inject.attachments.all()]

    client.force_login(coordinator_user)
    assert f'href="{_download(attachment)}"' in client.get(inject.exercise.get_absolute_url()).content.decode()

    rows = list(csv.DictReader(io.StringIO(mel_export(exercise=inject.exercise, fmt="csv").decode("utf-8-sig"))))
    assert next(r for r in rows if r["Record"] == "inject")["Attachments"] == ";".join(names)

    api_client.force_authenticate(coordinator_user)
    body = api_client.get(f"/api/v1/exercises/{inject.exercise.pk}/").json()
    listed = body["injects"][0]["attachments"]
    assert [a["file_name"] for a in listed] == names
    assert listed[0]["file"].endswith(_download(attachment))
