"""Public verification: only the allowed fields, revoked and erased, unknown codes, the rate limit."""

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from certificates.tests.factories import CertificateFactory, past_cohort
from participants.tests.factories import ParticipantFactory
from trainings.tests.factories import AgencyFactory, CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    cohort = past_cohort(course=CourseFactory(title="Identifying victims"), name="Zzcohort secret name")
    participant = ParticipantFactory(
        user__first_name="Maria",
        user__last_name="Nowak",
        user__email="maria.secret@agency.test",
        agency=AgencyFactory(name="Zzagency Secret"),
    )
    classmate = ParticipantFactory(user__first_name="Zzother", user__last_name="Classmate")
    CertificateFactory(cohort=cohort, participant=classmate, holder_name="Zzother Classmate")
    made = CertificateFactory(cohort=cohort, participant=participant, holder_name="Maria Nowak")
    return services.certificate_render(certificate_id=made.pk)


def _page(client, code):
    return client.get(reverse("certificates:verify", kwargs={"code": code}))


def test_the_page_shows_valid_course_dates_and_name_and_nothing_else(client, certificate):
    response = _page(client, certificate.code)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in body
    assert "Maria Nowak" in body
    assert "Identifying victims" in body
    for secret in ("Zzagency", "maria.secret", "Zzcohort", "Zzother", certificate.sha256):
        assert secret not in body
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in body


def test_a_typed_code_is_read_leniently(client, certificate):
    typed = certificate.code.lower().replace("-", "")
    assert _page(client, typed).status_code == 200
    form = client.get(reverse("certificates:verify_form"), {"code": f" {certificate.code.lower()} "})
    assert form.status_code == 302
    assert form["Location"] == reverse("certificates:verify", kwargs={"code": certificate.code})
    assert client.get(reverse("certificates:verify_form"), {"code": "nope"}).status_code == 400


def test_unknown_and_unready_codes_answer_404_with_the_same_page(client, certificate):
    pending = CertificateFactory()
    for code in ("ZZZZ-ZZZZ-ZZZZ-ZZZZ", pending.code, "not a code at all"):
        response = _page(client, code)
        assert response.status_code == 404
        assert "No certificate has this verification code." in response.content.decode()
        assert response["Referrer-Policy"] == "no-referrer"


def test_revoked_says_revoked_without_the_reason_and_erased_says_only_that(client, certificate, coordinator):
    services.certificate_revoke(certificate=certificate, by=coordinator, reason="Zzreason fraud suspected")
    body = _page(client, certificate.code).content.decode()
    assert "Revoked" in body
    assert "Maria Nowak" in body
    assert "Zzreason" not in body
    Certificate.objects.filter(pk=certificate.pk).update(revocation_kind=Certificate.RevocationKind.ERASED)
    body = _page(client, certificate.code).content.decode()
    assert "erased" in body
    assert "Maria Nowak" not in body
    assert "Identifying victims" not in body


def test_api_gives_the_same_fields_anonymously(api_client, certificate):
    url = reverse("api:certificate-verify", kwargs={"code": certificate.code})
    response = api_client.get(url)
    assert response.status_code == 200
    assert response.json() == {
        "code": certificate.code,
        "status": "valid",
        "holder_name": "Maria Nowak",
        "course_title": "Identifying victims",
        "start_date": certificate.cohort.start_date.isoformat(),
        "end_date": certificate.cohort.end_date.isoformat(),
    }
    missing = api_client.get(reverse("api:certificate-verify", kwargs={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}))
    assert missing.status_code == 404
    assert "detail" in missing.json()


def test_lookups_are_rate_limited_per_address_page_and_api_together(client, api_client, certificate, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "certificate_verify": "3/min"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        for _ in range(2):
            assert _page(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ").status_code == 404
        api_url = reverse("api:certificate-verify", kwargs={"code": certificate.code})
        assert api_client.get(api_url).status_code == 200
        refused = _page(client, certificate.code)
        assert refused.status_code == 429
        assert "Maria Nowak" not in refused.content.decode()
        assert int(refused["Retry-After"]) > 0
        assert api_client.get(api_url).status_code == 429
        # Another address is not affected; a forged X-Forwarded-For is ignored without trusted proxies.
        assert (
            client.get(
                reverse("certificates:verify", kwargs={"code": certificate.code}), REMOTE_ADDR="10.1.2.3"
            ).status_code
            == 200
        )
        assert _page(client.__class__(HTTP_X_FORWARDED_FOR="192.0.2.9"), certificate.code).status_code == 429
    finally:
        api_settings.reload()
