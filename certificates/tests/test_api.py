"""The certificates API: lists (query count), actions, policy, eligibility, overrides, issuing and ZIP jobs."""

import pytest
from django.urls import reverse

from certificates.models import Certificate, EligibilityOverride
from certificates.tests.factories import attend, enrolled, held_session, past_cohort
from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(facilitator):
    cohort = past_cohort(facilitators=[facilitator])
    session = held_session(cohort)
    for _ in range(2):
        attend(enrolled(cohort), session)
    enrolled(cohort)
    return cohort


@pytest.fixture
def issued(api_client, coordinator, cohort, django_capture_on_commit_callbacks):
    api_client.force_authenticate(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api:certificateissue-list"), {"cohort": cohort.pk}, format="json")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == Job.State.SUCCEEDED
    return list(Certificate.objects.filter(cohort=cohort))


def test_issue_and_list_in_a_fixed_number_of_queries(
    api_client, coordinator, cohort, issued, django_assert_max_num_queries
):
    assert len(issued) == 2
    with django_assert_max_num_queries(6):
        response = api_client.get(reverse("api:certificate-list"), {"cohort": cohort.pk})
    rows = response.json()["results"]
    assert len(rows) == 2
    assert all(row["status"] == "ready" and row["download_url"] for row in rows)
    holder = issued[0].participant.user
    api_client.force_authenticate(holder)
    mine = api_client.get(reverse("api:certificate-list")).json()["results"]
    assert [row["id"] for row in mine] == [issued[0].pk]
    download = api_client.get(reverse("api:certificate-download", kwargs={"pk": issued[0].pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_the_same_issue_request_while_one_is_active_returns_that_job(api_client, coordinator, cohort):
    api_client.force_authenticate(coordinator)
    first = api_client.post(reverse("api:certificateissue-list"), {"cohort": cohort.pk}, format="json")
    second = api_client.post(reverse("api:certificateissue-list"), {"cohort": cohort.pk}, format="json")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert Job.objects.count() == 1


def test_revoke_reissue_render_actions(api_client, coordinator, issued, django_capture_on_commit_callbacks):
    certificate = issued[0]
    base = {"pk": certificate.pk}
    refused = api_client.post(reverse("api:certificate-revoke", kwargs=base), {"reason": ""}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("api:certificate-reissue", kwargs=base), {"holder_name": "Ewa Zielińska"}, format="json"
        )
    assert response.status_code == 202
    certificate.refresh_from_db()
    assert (certificate.holder_name, certificate.revision, certificate.status) == ("Ewa Zielińska", 2, "ready")
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(reverse("api:certificate-render", kwargs=base)).status_code == 202
    certificate.refresh_from_db()
    assert certificate.revision == 3
    revoked = api_client.post(reverse("api:certificate-revoke", kwargs=base), {"reason": "Duplicate"}, format="json")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["download_url"] is None
    again = api_client.post(reverse("api:certificate-revoke", kwargs=base), {"reason": "Duplicate"}, format="json")
    assert again.status_code == 400
    assert "non_field_errors" in again.json()


def test_facilitators_and_holders_may_not_act(api_client, facilitator, issued):
    certificate = issued[0]
    for user, expected in ((facilitator, 403), (certificate.participant.user, 403)):
        api_client.force_authenticate(user)
        url = reverse("api:certificate-revoke", kwargs={"pk": certificate.pk})
        assert api_client.post(url, {"reason": "x"}, format="json").status_code == expected
    api_client.force_authenticate(facilitator)
    assert api_client.post(reverse("api:certificatezip-list"), {"cohort": certificate.cohort_id}).status_code == 403


def test_policy_eligibility_and_overrides(api_client, coordinator, cohort):
    api_client.force_authenticate(coordinator)
    url = reverse("api:certificatepolicy-detail", kwargs={"pk": cohort.pk})
    assert api_client.get(url).json()["attendance"] == "all"
    changed = api_client.patch(url, {"attendance": "share", "min_attendance_percent": 60}, format="json")
    assert changed.status_code == 200
    assert changed.json()["min_attendance_percent"] == 60
    assert api_client.patch(url, {"min_attendance_percent": 0}, format="json").status_code == 400

    rows = api_client.get(reverse("api:certificateeligibility-list"), {"cohort": cohort.pk}).json()
    assert [row["eligible"] for row in rows].count(True) == 2
    absent = next(row for row in rows if not row["eligible"])
    assert absent["reasons"] == ["Attended 0 of 1 sessions (0%); 60% is required."]
    assert api_client.get(reverse("api:certificateeligibility-list"), {"cohort": "x"}).status_code == 400

    created = api_client.post(
        reverse("api:eligibilityoverride-list"),
        {"cohort": cohort.pk, "participant": absent["participant"], "rule": "attendance", "reason": "Sick leave"},
        format="json",
    )
    assert created.status_code == 201
    rows = api_client.get(reverse("api:certificateeligibility-list"), {"cohort": cohort.pk}).json()
    assert all(row["eligible"] for row in rows)
    listed = api_client.get(reverse("api:eligibilityoverride-list"), {"cohort": cohort.pk}).json()["results"]
    assert [o["id"] for o in listed] == [created.json()["id"]]
    deleted = api_client.delete(reverse("api:eligibilityoverride-detail", kwargs={"pk": created.json()["id"]}))
    assert deleted.status_code == 204
    assert not EligibilityOverride.objects.exists()


def test_zip_job(api_client, coordinator, cohort, issued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api:certificatezip-list"), {"cohort": cohort.pk}, format="json")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == "certificates.zip"
    assert job.state == Job.State.SUCCEEDED
    assert job.result_name.endswith(".zip")


def test_too_many_form_fields_are_refused_in_the_api_shape(api_client, coordinator):
    api_client.force_authenticate(coordinator)
    body = "&".join(["participants=1"] * 1200)
    response = api_client.post("/api/v1/certificate-issues/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"non_field_errors": ["The request is too large."]}
