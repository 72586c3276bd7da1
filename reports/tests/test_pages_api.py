"""The report's pages, exports, PDF job, shared link and API, on the hand-made run."""

import csv
import datetime as dt
import io
import json
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.tests.factories import CoordinatorFactory
from conduct.tests.factories import ObservationFactory
from core.tabular import unneutralise
from exercises.models import RunTeam
from jobs.models import Job
from jobs.services import job_run
from reports import data, services
from reports.tests.test_run_report import full_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_run():
    run, facilitator, names = full_run()
    team_a = RunTeam.objects.get(run=run, team_role__name="A")
    ObservationFactory(
        run=run, author=facilitator, team=team_a, text='=HYPERLINK("http://x")', rating=None, shareable=False
    )
    return SimpleNamespace(run=run, facilitator=facilitator, names=names)


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_report_page_shows_the_figures(client, hand_run):
    client.force_login(hand_run.facilitator)
    response = client.get(reverse("reports:run_report", kwargs={"pk": hand_run.run.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Quick poll”: 2 responses, fewer than 5" in page  # the problems
    assert "3 min" in page  # median first reply, 180 s
    assert "Straż Graniczna" in page


def test_exports_csv_and_xlsx(client, hand_run):
    client.force_login(hand_run.facilitator)
    names = hand_run.names

    def url(what: str, fmt: str) -> str:
        return reverse("reports:run_report_export", kwargs={"pk": hand_run.run.pk, "what": what, "fmt": fmt})

    observations = _csv(client.get(url("observations", "csv")))
    assert observations[0][:6] == ["Time", "Objective", "Team", "Phase", "Rating", "Observation"]
    assert len(observations) == 1 + 6
    # Formula injection: the cell is neutralised, and reads back as written.
    formula = next(row for row in observations if "HYPERLINK" in row[5])[5]
    assert formula.startswith("'=")
    assert unneutralise(formula) == '=HYPERLINK("http://x")'

    messages = _csv(client.get(url("messages", "csv")))
    assert messages[1:3] == [
        [names["A"], names["B"], "3", "2", "2", "150.0"],
        [names["A"], names["C"], "1", "1", "0", ""],
    ]
    assert sum(int(row[2]) for row in messages[1:]) == 9

    injects = _csv(client.get(url("injects", "csv") + "?delimiter=semicolon"))
    header = injects[0][0].split(";")
    assert header[0] == "Number"
    first = [row[0].split(";") for row in injects[1:4]]
    assert [(row[4], row[6]) for row in first] == [(names["A"], "90"), (names["B"], "180"), (names["C"], "")]

    response = client.get(url("reflections", "xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Questionnaire", "Question", "Objective")
    scale = [r for r in rows[1:] if r[1] == "Confident?"]
    assert [(r[5], r[6]) for r in scale] == [("1", 0), ("2", 0), ("3", 1), ("4", 2), ("5", 1)]
    assert scale[0][4] == 4.0
    assert any("hidden: 2 responses" in str(r[1]) for r in rows)

    assert client.get(url("nothing", "csv")).status_code == 404
    assert client.get(url("messages", "pdf")).status_code == 404


def test_json_download_round_trips(client, hand_run):
    client.force_login(hand_run.facilitator)
    response = client.get(reverse("reports:run_report_json", kwargs={"pk": hand_run.run.pk}))
    report = data.RunReport.from_json(response.content.decode())
    assert report.exchange.median_first_reply_seconds == 180.0
    assert report.overview.run_id == hand_run.run.pk


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _build(client, run, *, shareable: bool, django_capture_on_commit_callbacks) -> Job:
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reports:run_report_build", kwargs={"pk": run.pk}), {"shareable": "1" if shareable else "0"}
        )
    assert response.status_code == 302
    job = Job.objects.get(kind=services.RUN_KIND, input__shareable=shareable)
    assert job_run(job_id=str(job.pk)) == Job.State.SUCCEEDED
    job.refresh_from_db()
    return job


def test_the_pdf_job_and_its_download(client, hand_run, django_capture_on_commit_callbacks):
    client.force_login(hand_run.facilitator)
    job = _build(
        client, hand_run.run, shareable=False, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    assert job.result == {"run_id": hand_run.run.pk, "shareable": False, "problems": 1}
    response = client.get(reverse("reports:run_report_pdf", kwargs={"pk": hand_run.run.pk, "job": job.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title.startswith("After-action report")
    text = _pdf_text(content)
    for figure in ("Straż Graniczna", "Zażółć gęślą jaźń", "Median first reply\n3:00", "Fay Cilitator", "RESTRICTED"):
        assert figure in text
    # The same request again while one is queued gives the same job.
    with django_capture_on_commit_callbacks(execute=False):
        first, created = services.run_report_request(run=hand_run.run, user=hand_run.facilitator)
        again, created_again = services.run_report_request(run=hand_run.run, user=hand_run.facilitator)
    assert (created, created_again, again.pk) == (True, False, first.pk)


def test_the_shared_link(client, hand_run, django_capture_on_commit_callbacks, monkeypatch):
    client.force_login(hand_run.facilitator)
    job = _build(
        client, hand_run.run, shareable=True, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    page = client.get(reverse("reports:run_report", kwargs={"pk": hand_run.run.pk})).content.decode()
    token = services.shared_link_token(job=job)
    assert "/reports/shared/" in page

    anonymous = client.__class__()
    response = anonymous.get(reverse("reports:shared_pdf", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    text = _pdf_text(b"".join(response.streaming_content))
    assert "Zażółć gęślą jaźń" in text  # anonymous questionnaire's free text stays
    for name in ("Fay", "Cilitator"):
        assert name not in text
    for person in hand_run.run.memberships.select_related("enrolment__participant__user"):
        assert person.enrolment.participant.user.last_name not in text

    assert anonymous.get(reverse("reports:shared_pdf", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    assert anonymous.post(reverse("reports:shared_pdf", kwargs={"token": token})).status_code == 405

    old = time.time() - services.SHARE_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: old))
    expired = services.shared_link_token(job=job)
    monkeypatch.undo()
    assert anonymous.get(reverse("reports:shared_pdf", kwargs={"token": expired})).status_code == 404

    full = _build(
        client, hand_run.run, shareable=False, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    forged = signing.dumps({"job": str(full.pk)}, salt="wrong-salt")
    assert anonymous.get(reverse("reports:shared_pdf", kwargs={"token": forged})).status_code == 404
    with pytest.raises(Exception, match="shareable"):
        services.shared_link_token(job=full)


def test_a_job_for_a_deleted_run_fails_with_a_message(hand_run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job, _created = services.run_report_request(run=hand_run.run, user=hand_run.facilitator)
    Job.objects.filter(pk=job.pk).update(input={**job.input, "run_id": 0})
    assert job_run(job_id=str(job.pk)) == Job.State.FAILED
    job.refresh_from_db()
    assert job.error == "The run no longer exists."


def test_the_cohort_report_page_and_job(client, hand_run, django_capture_on_commit_callbacks):
    client.force_login(hand_run.facilitator)
    cohort = hand_run.run.cohort
    page = client.get(reverse("reports:cohort_report", kwargs={"slug": cohort.slug}))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:cohort_report_build", kwargs={"slug": cohort.slug}))
    job = Job.objects.get(kind=services.COHORT_KIND)
    assert job_run(job_id=str(job.pk)) == Job.State.SUCCEEDED
    response = client.get(reverse("reports:cohort_report_pdf", kwargs={"slug": cohort.slug, "job": job.pk}))
    assert "Median first reply\n3:00" in _pdf_text(b"".join(response.streaming_content))


def test_the_api(client, hand_run, django_capture_on_commit_callbacks):
    run = hand_run.run
    client.force_login(CoordinatorFactory())
    body = client.get(f"/api/v1/run-reports/{run.pk}/").json()
    assert body["exchange"]["median_first_reply_seconds"] == 180.0
    assert data.RunReport.from_json(json.dumps(body)).overview.run_id == run.pk
    shared = client.get(f"/api/v1/run-reports/{run.pk}/?shareable=true").json()
    assert "Fay" not in json.dumps(shared)

    with django_capture_on_commit_callbacks(execute=False):
        built = client.post(
            f"/api/v1/run-reports/{run.pk}/build/", {"shareable": True}, content_type="application/json"
        )
        again = client.post(
            f"/api/v1/run-reports/{run.pk}/build/", {"shareable": True}, content_type="application/json"
        )
    assert built.status_code == 202
    assert (again.status_code, again.json()["id"]) == (200, built.json()["id"])
    assert built.json()["state"] == "queued"
    job_run(job_id=built.json()["id"])
    jobs = client.get(f"/api/v1/run-reports/{run.pk}/jobs/").json()
    assert jobs[0]["state"] == "succeeded"
    assert "/reports/shared/" in jobs[0]["shared_link"]
    pdf = client.get(jobs[0]["pdf"])
    assert pdf.status_code == 200
    assert client.get(f"/api/v1/run-reports/{run.pk}/pdf/?job=not-a-uuid").status_code == 404

    exported = client.get(f"/api/v1/run-reports/{run.pk}/exports/?what=messages&type=csv")
    assert exported.status_code == 200
    assert _csv(exported)[0][0] == "From"
    assert client.get(f"/api/v1/run-reports/{run.pk}/exports/?what=messages&type=xlsx").status_code == 200
    refused = client.get(f"/api/v1/run-reports/{run.pk}/exports/?what=nothing&type=pdf")
    assert refused.status_code == 400
    assert set(refused.json()) >= {"what", "type"}
    bad = client.post(f"/api/v1/run-reports/{run.pk}/build/", {"language": "xx"}, content_type="application/json")
    assert bad.status_code == 400
    assert "language" in bad.json()

    cohort = client.get(f"/api/v1/cohort-reports/{run.cohort_id}/").json()
    assert cohort["messages"] == 7
    built = client.post(f"/api/v1/cohort-reports/{run.cohort_id}/build/", {}, content_type="application/json")
    assert built.status_code == 202


def test_the_api_refuses_participants_and_strangers(client, hand_run):
    from exercises.tests.factories import TeamMembershipFactory

    member = TeamMembershipFactory(team=RunTeam.objects.filter(run=hand_run.run).first(), run=hand_run.run)
    client.force_login(member.enrolment.participant.user)
    assert client.get(f"/api/v1/run-reports/{hand_run.run.pk}/").status_code == 403
    built = client.post(f"/api/v1/run-reports/{hand_run.run.pk}/build/", {}, content_type="application/json")
    assert built.status_code == 403
    assert not Job.objects.exists()
    client.force_login(CoordinatorFactory(is_active=True))
    assert client.get(f"/api/v1/run-reports/{hand_run.run.pk + 1000}/").status_code == 404


def test_stats_in_report_are_dates_in_json():
    # A date survives the JSON round trip as a date (the improvement plan's due dates).
    row = data.ActionRow(area="a", action="b", agency="c", contact="", due=dt.date(2027, 1, 31), status="open")
    assert data.from_plain(data.ActionRow, json.loads(json.dumps(data.to_plain(row)))) == row
