"""The certificate pages: a cohort's list (query count), issuing from it, overrides, policy, revoke and
reissue, downloads, and the participant's dashboard."""

import pytest
from django.core import mail
from django.urls import reverse

from certificates.models import Certificate, CertificatePolicy, EligibilityOverride
from certificates.tests.factories import attend, enrolled, held_session, past_cohort
from participants.tests.factories import EnrolmentFactory
from reflections.tests.factories import AdministrationFactory
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(facilitator):
    cohort = past_cohort(facilitators=[facilitator])
    session = held_session(cohort)
    for _ in range(3):
        attend(enrolled(cohort), session)
    enrolled(cohort)  # absent
    return cohort


def _url(name, **kwargs):
    return reverse(f"certificates:{name}", kwargs=kwargs)


def test_the_cohort_page_shows_eligibility_in_a_fixed_number_of_queries(
    client, coordinator, cohort, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):
        small = client.get(_url("cohort_certificates", slug=cohort.slug))
    assert small.status_code == 200
    body = small.content.decode()
    assert "Attended 0 of 1 sessions; every session is required." in body
    assert "Issue for all 3 eligible people" in body
    session = cohort.sessions.get()
    for _ in range(10):
        attend(enrolled(cohort), session)
    with django_assert_max_num_queries(16):
        assert client.get(_url("cohort_certificates", slug=cohort.slug)).status_code == 200


def test_issue_from_the_page_then_download_and_dashboard(
    client, coordinator, cohort, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("cohort_issue", slug=cohort.slug))
    assert response.status_code == 302
    assert Certificate.objects.filter(status="ready").count() == 3
    assert len(mail.outbox) == 3
    page = client.get(_url("cohort_certificates", slug=cohort.slug)).content.decode()
    assert "Issuing" in page
    assert "succeeded" in page.lower()

    certificate = Certificate.objects.first()
    holder = certificate.participant.user
    client.force_login(holder)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "My certificates" in dashboard
    assert _url("download", pk=certificate.pk) in dashboard
    download = client.get(_url("download", pk=certificate.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Not a classmate's.
    other = Certificate.objects.exclude(pk=certificate.pk).first()
    assert client.get(_url("download", pk=other.pk)).status_code == 404


def test_the_facilitator_reads_but_may_not_act(client, facilitator, cohort):
    client.force_login(facilitator)
    page = client.get(_url("cohort_certificates", slug=cohort.slug))
    assert page.status_code == 200
    assert "Issue for all" not in page.content.decode()
    assert client.post(_url("cohort_issue", slug=cohort.slug)).status_code == 403
    assert client.get(_url("policy_edit", slug=cohort.slug)).status_code == 403


def test_a_participant_of_another_cohort_gets_404_everywhere(
    client, cohort, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("cohort_issue", slug=cohort.slug))
    certificate = Certificate.objects.first()
    stranger = EnrolmentFactory(cohort=CohortFactory()).participant.user
    client.force_login(stranger)
    for url in (
        _url("cohort_certificates", slug=cohort.slug),
        _url("policy_edit", slug=cohort.slug),
        _url("certificate_detail", pk=certificate.pk),
        _url("download", pk=certificate.pk),
        _url("revoke", pk=certificate.pk),
        reverse("api:certificate-detail", kwargs={"pk": certificate.pk}),
        reverse("api:certificate-download", kwargs={"pk": certificate.pk}),
        reverse("api:certificatepolicy-detail", kwargs={"pk": cohort.pk}),
        reverse("api:certificateeligibility-list") + f"?cohort={cohort.pk}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (_url("cohort_issue", slug=cohort.slug), _url("render", pk=certificate.pk)):
        assert client.post(url).status_code == 404, url
    assert client.post(reverse("api:certificateissue-list"), {"cohort": cohort.pk}).status_code == 400


def test_override_with_a_reason_then_remove_it(client, coordinator, cohort):
    absent = next(e for e in cohort.enrolments.all() if not e.attendances.exists())
    client.force_login(coordinator)
    url = _url("override", slug=cohort.slug, participant_pk=absent.participant_id)
    assert client.post(url, {"rule": "attendance", "reason": ""}).status_code == 400
    assert client.post(url, {"rule": "attendance", "reason": "On a mission abroad"}).status_code == 302
    override = EligibilityOverride.objects.get()
    assert override.granted_by == coordinator
    assert (
        "Issue for all 4 eligible people" in client.get(_url("cohort_certificates", slug=cohort.slug)).content.decode()
    )
    assert client.post(_url("override_delete", pk=override.pk)).status_code == 302
    assert not EligibilityOverride.objects.exists()


def test_the_policy_form_offers_only_the_cohorts_questionnaires(client, coordinator, cohort):
    own = AdministrationFactory(cohort=cohort)
    foreign = AdministrationFactory()
    client.force_login(coordinator)
    url = _url("policy_edit", slug=cohort.slug)
    page = client.get(url).content.decode()
    assert own.questionnaire.title in page
    assert foreign.questionnaire.title not in page
    assert (
        client.post(url, {"attendance": "share", "min_attendance_percent": 50, "reflection": foreign.pk}).status_code
        == 400
    )
    response = client.post(url, {"attendance": "share", "min_attendance_percent": 50, "reflection": own.pk})
    assert response.status_code == 302
    policy = CertificatePolicy.objects.get(cohort=cohort)
    assert (policy.attendance, policy.min_attendance_percent, policy.reflection) == ("share", 50, own)


def test_revoke_and_reissue_from_the_pages(client, coordinator, cohort, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("cohort_issue", slug=cohort.slug))
    certificate = Certificate.objects.first()
    code = certificate.code
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("reissue", pk=certificate.pk), {"holder_name": "Jan Kowalski-Nowak", "note": ""})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.code, certificate.revision, certificate.holder_name) == (code, 2, "Jan Kowalski-Nowak")
    assert client.post(_url("revoke", pk=certificate.pk), {"reason": ""}).status_code == 400
    assert client.post(_url("revoke", pk=certificate.pk), {"reason": "Wrong person"}).status_code == 302
    detail = client.get(_url("certificate_detail", pk=certificate.pk)).content.decode()
    assert "Wrong person" in detail
    assert "reissued" in detail
    client.force_login(certificate.participant.user)
    assert client.get(_url("download", pk=certificate.pk)).status_code == 403
    assert "revoked" in client.get(reverse("dashboard")).content.decode()
