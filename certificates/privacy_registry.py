"""What certificates holds about people: their certificates and the decisions about them (privacy.registry)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from privacy.erasers import job_results_erase
from privacy.registry import Erasure, Holding, not_personal, register


def _erase_certificates(user: Any, rows: QuerySet[Any]) -> int:
    """Revoked as "erased", PDF deleted, the holder's name blanked (certificates.services.certificate_erase)."""
    from certificates.services import certificate_erase
    from privacy.services import person_scrubber

    scrubber = person_scrubber(user)
    erased = 0
    for certificate in rows:
        certificate_erase(certificate=certificate, scrub=scrubber.scrub)
        erased += 1
    return erased


def _zips_listing(user: Any) -> QuerySet[Any]:
    """The certificate jobs of the person's cohorts: their ZIP files may hold the person's certificate."""
    from certificates.selectors import JOB_KINDS
    from jobs.models import Job
    from trainings.models import CohortMember

    cohorts = CohortMember.objects.filter(user=user).values_list("cohort_id", flat=True)
    return Job.objects.filter(kind__in=JOB_KINDS, scope__in=[f"cohort:{pk}" for pk in sorted(cohorts)])


def register_personal_data() -> None:
    register(
        Holding(
            model="jobs.Job",
            person="scope",
            name="certificates_job",
            title=_("Certificate files of your cohorts"),
            fields=("kind", "requested_at", "result_name", "expires_at"),
            rows=_zips_listing,
            erase=job_results_erase,
            purpose=_("To hand a cohort's certificates over in one ZIP file."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Their files are deleted."),
            retention_setting="CONCORD_CERTIFICATE_ZIP_HOURS",
        ),
        Holding(
            model="certificates.Certificate",
            person="participant__user",
            title=_("Your certificates"),
            fields=(
                "cohort__name",
                "code",
                "status",
                "holder_name",
                "language",
                "issued_at",
                "revoked_at",
                "revocation_kind",
            ),
            actors=("issued_by", "revoked_by"),
            blank=("holder_name",),
            text=("revocation_reason",),
            purpose=_("To certify that you completed a course, verifiable by its code."),
            erasure=Erasure.ANONYMISE,
            erase=_erase_certificates,
            erasure_note=_(
                'Revoked with the reason "erased" and its PDF deleted; the verification page says only that.'
            ),
        ),
        Holding(
            model="certificates.CertificateEvent",
            person="certificate__participant__user",
            title=_("Your certificates' history"),
            fields=("certificate__code", "kind", "at", "holder_name", "note"),
            actors=("by",),
            blank=("holder_name",),
            text=("note",),
            purpose=_("To show when a certificate was issued, rendered or revoked, and by whom."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, with your name deleted."),
        ),
        Holding(
            model="certificates.EligibilityOverride",
            person="participant__user",
            title=_("Exceptions to the certificate rules for you"),
            fields=("cohort__name", "rule", "reason", "created_at"),
            actors=("granted_by",),
            text=("reason",),
            purpose=_("To record why a coordinator made an exception for someone, and who."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, with your name taken out of the reason."),
        ),
    )
    not_personal(
        "certificates.CertificatePolicy",
        ("issuer", "signatory_1_name", "signatory_1_title", "signatory_2_name", "signatory_2_title"),
        _("The issuing body and the signatories printed on a cohort's certificates, as a coordinator typed them."),
    )
    not_personal(
        "certificates.Certificate",
        ("pdf", "error"),
        _("The rendered file (deleted when the certificate is erased) and a technical error message."),
    )
