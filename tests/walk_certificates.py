"""Permission-walk expectations for certificates (issue #10).

A cohort's certificate pages are for its staff: coordinators manage them, the cohort's facilitators read
them (403 on every action). The cohort's participant sees the cohort, so its certificate pages answer
403, and downloads their own certificate; people who cannot see the cohort get 404. Verification is
public: the walk asks for an unknown code (``TOKENS["code"]``), which answers 404 to everyone.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from certificates.models import Certificate, EligibilityOverride
from certificates.services import certificate_render
from certificates.tests.factories import CertificateFactory, EligibilityOverrideFactory
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401

STAFF_READ = (LOGIN, 404, 403, 404, 200, 200)  # the cohort's staff read, its participant sees the cohort
MANAGE = (LOGIN, 404, 403, 404, 403, 200)  # coordinators act; facilitators and the participant may not
POST_ONLY = (LOGIN, 404, 403, 404, 403, 405)
UNKNOWN_CODE = (404,) * 6

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "certificates:cohort_certificates": STAFF_READ,
    "certificates:policy_edit": MANAGE,
    "certificates:cohort_issue": POST_ONLY,
    "certificates:cohort_zip": POST_ONLY,
    "certificates:override": MANAGE,
    "certificates:override_delete": (LOGIN, 404, 404, 404, 403, 405),
    "certificates:verify_form": (200,) * 6,
    "certificates:verify": UNKNOWN_CODE,
    "certificates:certificate_detail": STAFF_READ,
    # The holder downloads their own; facilitators follow statuses but do not take people's PDFs.
    "certificates:download": (LOGIN, 404, 200, 404, 403, 200),
    "certificates:revoke": MANAGE,
    "certificates:reissue": MANAGE,
    "certificates:render": POST_ONLY,
    "api:certificate-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:certificate-detail": (REFUSED, 404, 200, 404, 200, 200),
    "api:certificate-download": (REFUSED, 404, 200, 404, 403, 200),
    "api:certificate-verify": UNKNOWN_CODE,
    "api:certificatepolicy-detail": (REFUSED, 404, 403, 404, 200, 200),
    # ?cohort= is required: without it, 400.
    "api:certificateeligibility-list": (REFUSED, 400, 400, 400, 400, 400),
    "api:eligibilityoverride-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:eligibilityoverride-detail": (REFUSED, 404, 404, 404, 200, 200),
    # POST only (start a job): a GET is refused.
    "api:certificateissue-list": (REFUSED, 405, 405, 405, 405, 405),
    "api:certificatezip-list": (REFUSED, 405, 405, 405, 405, 405),
}

SKIPPED: dict[str, str] = {
    "api:certificate-revoke": "write action (POST), outside this read-only walk; see certificates/tests/test_api.py",
    "api:certificate-reissue": "write action (POST), outside this read-only walk; see certificates/tests/test_api.py",
    "api:certificate-render": "write action (POST), outside this read-only walk; see certificates/tests/test_api.py",
}


def certificate_of(world: World) -> Certificate:
    """The participant's certificate of cohort A, rendered, made once per world."""
    certificate = getattr(world, "_certificate", None)
    if certificate is None:
        certificate = CertificateFactory(cohort=world.cohort, participant=world.participant)
        certificate = certificate_render(certificate_id=certificate.pk)
        world._certificate = certificate  # type: ignore[attr-defined]
    return certificate


def override_of(world: World) -> EligibilityOverride:
    override = getattr(world, "_override", None)
    if override is None:
        override = EligibilityOverrideFactory(cohort=world.cohort, participant=world.participant)
        world._override = override  # type: ignore[attr-defined]
    return override


TARGETS: dict[str, Callable[[World], Any]] = {
    "certificates:cohort_certificates": lambda w: w.cohort,
    "certificates:policy_edit": lambda w: w.cohort,
    "certificates:cohort_issue": lambda w: w.cohort,
    "certificates:cohort_zip": lambda w: w.cohort,
    "certificates:override": lambda w: SimpleNamespace(slug=w.cohort.slug, participant_pk=w.participant.pk),
    "certificates:override_delete": override_of,
    "certificates:certificate_detail": certificate_of,
    "certificates:download": certificate_of,
    "certificates:revoke": certificate_of,
    "certificates:reissue": certificate_of,
    "certificates:render": certificate_of,
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "certificatepolicy": lambda w: w.cohort,
    "eligibilityoverride": override_of,
    "certificate": certificate_of,
}
