"""Writes of certificates: the policy and overrides, issuing (a job), rendering, revoking, reissuing, ZIPs.

Rendering is idempotent and race-safe: ``certificate_render`` holds the certificate's row lock while it
draws and stores the PDF, so two renders at once give one file; the second finds the work done.
"""

import hashlib
import io
import logging
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.languages import user_language
from audit.decorators import audited
from audit.services import audit_records
from certificates import codes
from certificates.content import certificate_dates, certificate_labels, certificate_language
from certificates.models import Certificate, CertificateEvent, CertificatePolicy, EligibilityOverride
from certificates.pdf import TEMPLATE_VERSION, CertificateData, render_certificate
from certificates.selectors import EligibilityRow, certificate_policy_for, cohort_eligibility, cohort_hours
from core.exceptions import ApplicationError
from core.outbox import queue_on_commit
from core.text import normalise_name
from exercises.models import TeamMembership
from jobs.models import Job
from jobs.services import JobProgress, job_request
from participants.models import Participant
from reflections.models import Administration
from trainings.models import Cohort

logger = logging.getLogger(__name__)

ISSUE_KIND = "certificates.issue"
ZIP_KIND = "certificates.zip"
EMAIL_TASK = "certificates.tasks.certificate_email_task"
RENDER_TASK = "certificates.tasks.certificate_render_task"
CODE_ATTEMPTS = 5
PROGRESS_EVERY_SECONDS = 1.0

POLICY_FIELDS = (
    "attendance",
    "min_attendance_percent",
    "reflection",
    "issuer",
    "hours",
    "signatory_1_name",
    "signatory_1_title",
    "signatory_2_name",
    "signatory_2_title",
)


# --- the policy and overrides ----------------------------------------------------------------------


@transaction.atomic
@audited("certificate_policy.update")
def certificate_policy_update(*, cohort: Cohort, by: Any, data: dict[str, Any]) -> CertificatePolicy:
    """Save the cohort's certificate rules (creating its policy row the first time)."""
    reflection = data.get("reflection")
    if reflection is not None and (not isinstance(reflection, Administration) or reflection.cohort_id != cohort.pk):
        raise ApplicationError(field_errors={"reflection": [_("Choose a questionnaire given to this cohort.")]})
    policy, _created = CertificatePolicy.objects.select_for_update().get_or_create(cohort=cohort)
    for name in POLICY_FIELDS:
        if name in data:
            setattr(policy, name, data[name])
    try:
        policy.full_clean()
    except ValidationError as error:
        raise ApplicationError.from_validation_error(error) from error
    policy.save()
    return policy


@transaction.atomic
@audited("eligibility_override.grant", subject="participant.user_id")
def eligibility_override_grant(
    *, cohort: Cohort, participant: Participant, rule: str, reason: str, by: Any
) -> EligibilityOverride:
    """Set one rule aside for one person of the cohort, with the reason recorded."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the rule does not apply to this person.")]
    if rule not in EligibilityOverride.Rule.values:
        errors["rule"] = [_("Choose a rule.")]
    if not cohort_eligibility(cohort=cohort, participant_ids=[participant.pk]):
        errors["participant"] = [_("This person is not enrolled in the cohort.")]
    if errors:
        raise ApplicationError(field_errors=errors)
    override, _created = EligibilityOverride.objects.update_or_create(
        cohort=cohort, participant=participant, rule=rule, defaults={"reason": reason, "granted_by": by}
    )
    return override


@transaction.atomic
@audited("eligibility_override.remove", target="override", subject="participant.user_id")
def eligibility_override_remove(*, override: EligibilityOverride, by: Any) -> None:
    override.delete()


# --- issuing -----------------------------------------------------------------------------------------


def certificate_issue(*, cohort: Cohort, participants: list[Participant] | None, by: Any) -> tuple[Job, bool]:
    """Queue the job that issues the cohort's certificates (for everyone eligible, or these people)."""
    ids = sorted({p.pk for p in participants}) if participants is not None else None
    if ids is not None and not ids:
        raise ApplicationError(field_errors={"participants": [_("Choose at least one person.")]})
    key_ids = ",".join(map(str, ids)) if ids is not None else "all"
    if len(key_ids) > 64:  # a long selection: its digest, or the key would pass the jobs' limit
        key_ids = "sha256-" + hashlib.sha256(key_ids.encode()).hexdigest()
    return job_request(
        kind=ISSUE_KIND,
        requested_by=by,
        dedupe_key=f"{ISSUE_KIND}:{cohort.pk}:{key_ids}",
        input={"cohort_id": cohort.pk, "participant_ids": ids},
        scope=f"cohort:{cohort.pk}",
        total=len(ids) if ids is not None else 0,
    )


def run_issue_job(job: Job, progress: JobProgress) -> dict[str, Any]:
    """The issue job: a certificate for each eligible person, each rendered; the others skipped and counted."""
    cohort = Cohort.objects.filter(pk=job.input.get("cohort_id")).first()
    if cohort is None:
        raise ApplicationError(_("The cohort no longer exists."))
    by = job.requested_by
    rows = cohort_eligibility(cohort=cohort, participant_ids=job.input.get("participant_ids"))
    progress.set_total(len(rows))
    facts = cohort_facts(cohort=cohort)  # the same for every certificate of the job: read once
    counts = {"issued": 0, "ready": 0, "skipped": 0, "failed": 0, "revoked": 0}
    failed_ids: list[int] = []
    # Every missing certificate is created (and committed) before any is rendered: a worker killed in
    # the middle of a render then leaves a file named by a code that exists, which the next run replaces.
    counts["issued"] = certificates_create_missing(cohort=cohort, rows=rows, by=by)
    unreported, reported_at = 0, time.monotonic()
    for row in rows:
        if not row.eligible:
            counts["skipped"] += 1
        else:
            certificate = row.certificate
            if certificate.status != Certificate.Status.REVOKED:
                certificate = certificate_render(certificate_id=certificate.pk, facts=facts)
            if certificate.status == Certificate.Status.REVOKED:
                counts["revoked"] += 1
            elif certificate.status == Certificate.Status.READY:
                counts["ready"] += 1
            else:
                counts["failed"] += 1
                failed_ids.append(certificate.pk)
        unreported += 1
        # Progress (and the lease) written about once a second, not once per certificate.
        if time.monotonic() - reported_at >= PROGRESS_EVERY_SECONDS:
            progress.advance(unreported)
            unreported, reported_at = 0, time.monotonic()
    if unreported:
        progress.advance(unreported)
    return {**counts, "failed_certificates": failed_ids}


def certificates_create_missing(*, cohort: Cohort, rows: list[EligibilityRow], by: Any, chunk: int = 200) -> int:
    """Create the certificate of each eligible row that has none (pending, a new code), a chunk per
    transaction, and set ``row.certificate``; returns how many were created. Race-safe: a chunk that
    meets a certificate created meanwhile (or a code drawn twice) falls back to one at a time."""
    missing = [row for row in rows if row.eligible and row.certificate is None]
    issued_by = by if getattr(by, "pk", None) else None
    created = 0
    for start in range(0, len(missing), chunk):
        part = missing[start : start + chunk]
        now = timezone.now()
        try:
            with transaction.atomic():
                certificates = Certificate.objects.bulk_create(
                    [
                        Certificate(
                            cohort=cohort,
                            participant=row.participant,
                            code=codes.new_code(),
                            holder_name=_holder_name(row.participant),
                            language=certificate_language(row.participant.user.language),
                            issued_at=now,
                            issued_by=issued_by,
                        )
                        for row in part
                    ]
                )
                CertificateEvent.objects.bulk_create(
                    CertificateEvent(
                        certificate=certificate,
                        kind=CertificateEvent.Kind.ISSUED,
                        by=issued_by,
                        holder_name=certificate.holder_name,
                    )
                    for certificate in certificates
                )
                audit_records(
                    [
                        {"action": "certificate.create", "target": c, "subject_id": row.participant.user_id}
                        for row, c in zip(part, certificates, strict=True)
                    ]
                )
        except IntegrityError:
            for row in part:
                row.certificate, was_created = certificate_ensure(cohort=cohort, participant=row.participant, by=by)
                created += int(was_created)
        else:
            for row, certificate in zip(part, certificates, strict=True):
                row.certificate = certificate
            created += len(part)
    return created


def _holder_name(participant: Participant) -> str:
    user = participant.user
    return user.get_full_name().strip() or user.email


@audited("certificate.ensure", subject="participant.user_id")
def certificate_ensure(*, cohort: Cohort, participant: Participant, by: Any) -> tuple[Certificate, bool]:
    """The person's certificate of the cohort, created (pending, with a new code) if missing; race-safe."""
    existing = Certificate.objects.filter(cohort=cohort, participant=participant).first()
    if existing is not None:
        return existing, False
    holder_name = _holder_name(participant)
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    cohort=cohort,
                    participant=participant,
                    code=codes.new_code(),
                    holder_name=holder_name,
                    language=certificate_language(participant.user.language),
                    issued_at=timezone.now(),
                    issued_by=by if getattr(by, "pk", None) else None,
                )
                CertificateEvent.objects.create(
                    certificate=certificate,
                    kind=CertificateEvent.Kind.ISSUED,
                    by=certificate.issued_by,
                    holder_name=holder_name,
                )
            return certificate, True
        except IntegrityError:
            existing = Certificate.objects.filter(cohort=cohort, participant=participant).first()
            if existing is not None:  # another worker created it first
                return existing, False
            # else the random code collided: draw another
    raise ApplicationError(_("Could not draw a unique verification code; please try again."))


# --- rendering ---------------------------------------------------------------------------------------


@audited("certificate.render", subject="participant.user_id")
def certificate_render(
    *, certificate_id: int, expected_revision: int | None = None, facts: "CohortFacts | None" = None
) -> Certificate:
    """Render the certificate's PDF unless it is ready (or revoked); idempotent and safe to run twice at once.

    With ``expected_revision`` (a re-render asked for after reading that revision) it renders again
    only if nobody did since. A failure leaves the certificate ``failed`` with the error recorded.
    ``facts``: the cohort's part of the page, read once by a job rendering many (else read here).
    """
    written: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("cohort__course", "participant__user")
                .get(pk=certificate_id)
            )
            if certificate.status == Certificate.Status.REVOKED:
                return certificate
            if certificate.status == Certificate.Status.READY and (
                expected_revision is None or certificate.revision != expected_revision
            ):
                return certificate
            _render_locked(certificate, written, facts)
            return certificate
    except Exception as error:
        logger.exception("Certificate %s could not be rendered", certificate_id)
        for storage, name in written:  # written by the transaction that did not commit
            storage.delete(name)
        return _render_failed(certificate_id=certificate_id, error=error)


def _render_locked(certificate: Certificate, written: list[tuple[Any, str]], facts: "CohortFacts | None") -> None:
    """Draw and store the PDF; the caller holds the row lock. The status RENDERING is never seen
    outside: the lock is held until READY is committed (a render takes tens of milliseconds)."""
    certificate.status = Certificate.Status.RENDERING
    data = certificate_data(certificate=certificate, facts=facts)
    content = render_certificate(data)
    old_name = certificate.pdf.name if certificate.pdf else ""
    certificate.revision += 1
    # The code and revision name the file: never the person's name.
    filename = f"{certificate.code}-r{certificate.revision}.pdf"
    storage = certificate.pdf.storage
    target = certificate.pdf.field.generate_filename(certificate, filename)
    if storage.exists(target):
        # Left by a render whose worker was killed before its commit (this revision never committed,
        # and we hold the row): replaced, not kept beside a suffixed twin.
        storage.delete(target)
    certificate.pdf.save(filename, ContentFile(content), save=False)
    written.append((storage, certificate.pdf.name))
    if old_name and old_name != certificate.pdf.name:
        # The replaced file goes once the new one is committed.
        transaction.on_commit(lambda: storage.delete(old_name))
    certificate.sha256 = hashlib.sha256(content).hexdigest()
    certificate.template_version = TEMPLATE_VERSION
    certificate.status = Certificate.Status.READY
    certificate.rendered_at = timezone.now()
    certificate.error = ""
    certificate.save()
    CertificateEvent.objects.create(
        certificate=certificate,
        kind=CertificateEvent.Kind.RENDERED,
        holder_name=certificate.holder_name,
        revision=certificate.revision,
        sha256=certificate.sha256,
    )
    queue_on_commit(
        EMAIL_TASK,
        certificate.pk,
        certificate.revision,
        dedupe_key=f"certificate-email:{certificate.pk}:{certificate.revision}",
    )


def _render_failed(*, certificate_id: int, error: BaseException) -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.status in (Certificate.Status.READY, Certificate.Status.REVOKED):
            return certificate
        certificate.status = Certificate.Status.FAILED
        certificate.error = f"{error.__class__.__name__}: {error}"[:2000]
        certificate.save(update_fields=["status", "error", "updated_at"])
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEvent.Kind.FAILED,
            note=certificate.error,
            revision=certificate.revision,
        )
    return certificate


@dataclass(frozen=True)
class CohortFacts:
    """What every certificate of a cohort prints alike, whatever its language."""

    cohort_id: int
    policy: CertificatePolicy
    hours: str
    objectives: list[str]


def cohort_facts(*, cohort: Cohort) -> CohortFacts:
    policy = certificate_policy_for(cohort=cohort)
    return CohortFacts(
        cohort_id=cohort.pk,
        policy=policy,
        hours=str(cohort_hours(cohort=cohort, policy=policy)),
        objectives=[objective.title for objective in cohort.course.learning_objectives.order_by("order", "code")],
    )


def certificate_data(*, certificate: Certificate, facts: CohortFacts | None = None) -> CertificateData:
    """What the PDF says, gathered and translated into the certificate's language."""
    cohort = certificate.cohort
    course = cohort.course
    if facts is None or facts.cohort_id != cohort.pk:
        facts = cohort_facts(cohort=cohort)
    policy = facts.policy
    memberships = (
        TeamMembership.objects.filter(run__cohort=cohort, enrolment__participant=certificate.participant)
        .select_related("team__team_role", "position", "run__exercise")
        .order_by("run__session__starts_at", "pk")
    )
    signatories = [
        (name, title)
        for name, title in (
            (policy.signatory_1_name, policy.signatory_1_title),
            (policy.signatory_2_name, policy.signatory_2_title),
        )
        if name
    ]
    path = reverse("certificates:verify", kwargs={"code": certificate.code})
    with translation.override(certificate.language):
        roles = []
        for membership in memberships:
            team = membership.team.name or membership.team.team_role.name
            role = f"{team}, {membership.position.name}" if membership.position else team
            roles.append(f"{role} ({membership.run.exercise.name})")
        return CertificateData(
            holder_name=certificate.holder_name,
            issuer=policy.issuer or settings.CONCORD_CERTIFICATE_ISSUER,
            course_title=course.title,
            cohort_name=cohort.name,
            dates=certificate_dates(cohort.start_date, cohort.end_date),
            hours=facts.hours,
            objectives=facts.objectives,
            roles=roles,
            signatories=signatories,
            code=certificate.code,
            verify_url=settings.SITE_URL.rstrip("/") + path,
            language=certificate.language,
            labels=certificate_labels(),
        )


@audited("certificate.render_again", target="certificate", subject="participant.user_id")
def certificate_render_again(*, certificate: Certificate, by: Any) -> Certificate:
    """Queue a new render of the certificate (a new template, a failure); its code stays."""
    if certificate.status == Certificate.Status.REVOKED:
        raise ApplicationError(_("A revoked certificate is not rendered again."))
    with transaction.atomic():
        queue_on_commit(
            RENDER_TASK,
            certificate.pk,
            certificate.revision,
            dedupe_key=f"certificate-render:{certificate.pk}:{certificate.revision}",
        )
    return certificate


# --- revoking and reissuing -------------------------------------------------------------------------


@transaction.atomic
@audited("certificate.revoke", target="certificate", subject="participant.user_id")
def certificate_revoke(
    *, certificate: Certificate, by: Any, reason: str, kind: str = Certificate.RevocationKind.REVOKED
) -> Certificate:
    """Revoke the certificate: the verify page says so, its holder can no longer download it."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(field_errors={"reason": [_("Say why the certificate is revoked.")]})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        raise ApplicationError(_("The certificate is revoked already."))
    locked.status = Certificate.Status.REVOKED
    locked.revoked_at, locked.revoked_by = timezone.now(), by
    locked.revocation_reason, locked.revocation_kind = reason, kind
    locked.save(
        update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "revocation_kind", "updated_at"]
    )
    CertificateEvent.objects.create(
        certificate=locked,
        kind=CertificateEvent.Kind.REVOKED,
        by=by,
        note=reason,
        revision=locked.revision,
        holder_name=locked.holder_name,
    )
    return locked


@transaction.atomic
@audited("certificate.reissue", target="certificate", subject="participant.user_id")
def certificate_reissue(*, certificate: Certificate, by: Any, holder_name: str, note: str = "") -> Certificate:
    """Correct the holder's name and render a new PDF: same code, next revision, history kept."""
    try:
        name = normalise_name(holder_name or "")
    except Exception as error:
        raise ApplicationError(field_errors={"holder_name": list(getattr(error, "messages", [str(error)]))}) from error
    if not name:
        raise ApplicationError(field_errors={"holder_name": [_("Enter the name to print.")]})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        raise ApplicationError(_("A revoked certificate cannot be reissued."))
    previous = locked.holder_name
    locked.holder_name = name
    locked.status = Certificate.Status.PENDING
    locked.save(update_fields=["holder_name", "status", "updated_at"])
    CertificateEvent.objects.create(
        certificate=locked,
        kind=CertificateEvent.Kind.REISSUED,
        by=by,
        note=(note or "").strip() or _("Name corrected (was: %(name)s).") % {"name": previous},
        holder_name=name,
        revision=locked.revision,
    )
    queue_on_commit(
        RENDER_TASK, locked.pk, None, dedupe_key=f"certificate-render:{locked.pk}:{locked.revision}:reissue"
    )
    return locked


ERASED_REASON = "erased"


@transaction.atomic
def certificate_erase(*, certificate: Certificate, scrub: Callable[[str], str] | None = None) -> Certificate:
    """Its holder was erased (privacy.services.person_erase): the certificate is revoked with the reason
    "erased", its PDF deleted and the holder's name blanked in it and its history, so that the verify page
    and API can say only that. ``scrub`` takes the person's name out of the history's notes. The erasure
    records itself in the audit trail, once for everything."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    now = timezone.now()
    if locked.pdf:
        storage, name = locked.pdf.storage, locked.pdf.name
        transaction.on_commit(lambda: storage.delete(name))
    if locked.status != Certificate.Status.REVOKED:
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = now
    locked.revocation_reason = ERASED_REASON
    locked.revocation_kind = Certificate.RevocationKind.ERASED
    locked.holder_name = ""
    locked.pdf = ""
    locked.sha256 = ""
    locked.error = ""
    locked.save(
        update_fields=[
            "status",
            "revoked_at",
            "revocation_reason",
            "revocation_kind",
            "holder_name",
            "pdf",
            "sha256",
            "error",
            "updated_at",
        ]
    )
    for event in CertificateEvent.objects.filter(certificate=locked):
        note = scrub(event.note) if scrub is not None else ""
        if event.holder_name or note != event.note:
            event.holder_name, event.note = "", note
            event.save(update_fields=["holder_name", "note"])
    CertificateEvent.objects.create(
        certificate=locked, kind=CertificateEvent.Kind.REVOKED, note=ERASED_REASON, revision=locked.revision
    )
    return locked


# --- ZIP of a cohort's certificates -------------------------------------------------------------------


def certificate_zip_request(*, cohort: Cohort, by: Any) -> tuple[Job, bool]:
    return job_request(
        kind=ZIP_KIND,
        requested_by=by,
        dedupe_key=f"{ZIP_KIND}:{cohort.pk}",
        input={"cohort_id": cohort.pk},
        scope=f"cohort:{cohort.pk}",
    )


def zip_member_name(certificate: Certificate) -> str:
    """A safe ASCII file name inside the ZIP: the holder's name as a slug, then the code."""
    slug = slugify(certificate.holder_name)[:60] or "certificate"
    return f"{slug}_{certificate.code}.pdf"


def run_zip_job(job: Job, progress: JobProgress) -> dict[str, Any]:
    cohort = Cohort.objects.filter(pk=job.input.get("cohort_id")).first()
    if cohort is None:
        raise ApplicationError(_("The cohort no longer exists."))
    certificates = list(
        Certificate.objects.filter(cohort=cohort, status=Certificate.Status.READY).order_by("holder_name", "pk")
    )
    progress.set_total(len(certificates))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            with certificate.pdf.open("rb") as pdf:
                archive.writestr(zip_member_name(certificate), pdf.read())
            progress.advance()
    progress.save_result(
        name=f"certificates-{cohort.slug}.zip", content=buffer.getvalue(), content_type="application/zip"
    )
    return {"certificates": len(certificates)}


# --- e-mail ------------------------------------------------------------------------------------------


def certificate_email(*, certificate_id: int, revision: int) -> bool:
    """E-mail the holder that this revision of their certificate is ready, once, with a link to it.

    A link rather than the PDF attached: the download checks revocation when it happens, and a
    person's certificate does not stay in mailboxes and forwards beyond their control.
    """
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    from core.mail import send_once, single_line

    certificate = (
        Certificate.objects.filter(pk=certificate_id).select_related("cohort__course", "participant__user").first()
    )
    if certificate is None or certificate.status != Certificate.Status.READY or certificate.revision != revision:
        return False
    user = certificate.participant.user

    def send() -> bool:
        url = settings.SITE_URL.rstrip("/") + reverse("certificates:download", kwargs={"pk": certificate.pk})
        with translation.override(user_language(user, fallback=certificate.language)):
            subject = single_line(_("Your certificate: %(course)s") % {"course": certificate.cohort.course.title})
            body = render_to_string(
                "emails/certificate_ready.txt",
                {"name": certificate.holder_name, "certificate": certificate, "url": url},
            )
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEvent.Kind.EMAILED,
            revision=revision,
            holder_name=certificate.holder_name,
        )
        return True

    return send_once(key=("certificate-ready", certificate.pk, revision), send=send)
