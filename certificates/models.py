"""Certificates of completion: a cohort's rules, the overrides of them, and one certificate per person.

A certificate is rendered by a worker (``certificates.pdf``, a pure function) into a PDF whose sha256
is kept. Its verification code is random, unique and stays the same across re-renders and reissues;
the history of what happened to it is kept in ``CertificateEvent``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certificates.querysets import CertificateQuerySet, EligibilityOverrideQuerySet
from core.models import TimeStampedModel
from participants.models import Participant
from reflections.models import Administration
from trainings.models import Cohort


class CertificatePolicy(TimeStampedModel):
    """What a cohort's participants must do to earn a certificate, and what the certificate says."""

    class Attendance(models.TextChoices):
        ALL = "all", _("every session")
        SHARE = "share", _("a minimum share of the sessions")
        NONE = "none", _("no attendance rule")

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="certificate_policy", verbose_name=_("cohort")
    )
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices, default=Attendance.ALL)
    # With SHARE: the least share of the cohort's held (not cancelled) sessions attended, late counting as attended.
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # When set, the participant must have submitted this questionnaire administration (anonymous ones
    # count too: completion is recorded without linking the answers).
    reflection = models.ForeignKey(
        Administration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reflection questionnaire to submit"),
    )
    issuer = models.CharField(_("issuing organisation"), max_length=200, blank=True)
    # Hours printed on the certificate; empty: the length of the cohort's held sessions.
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    signatory_1_name = models.CharField(_("first signatory"), max_length=200, blank=True)
    signatory_1_title = models.CharField(_("first signatory's title"), max_length=200, blank=True)
    signatory_2_name = models.CharField(_("second signatory"), max_length=200, blank=True)
    signatory_2_title = models.CharField(_("second signatory's title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate policy")
        verbose_name_plural = _("certificate policies")

    def __str__(self) -> str:
        return f"{self.cohort}"


class EligibilityOverride(TimeStampedModel):
    """A coordinator's decision that one rule does not apply to one person in one cohort."""

    class Rule(models.TextChoices):
        ATTENDANCE = "attendance", _("attendance")
        REFLECTION = "reflection", _("reflection questionnaire")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name=_("cohort"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("granted by")
    )

    objects = EligibilityOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility override")
        verbose_name_plural = _("eligibility overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "participant", "rule"], name="certificates_override_one_per_rule"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="certificates_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} / {self.cohort}: {self.rule}"


class Certificate(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RENDERING = "rendering", _("rendering")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        REVOKED = "revoked", _("revoked")

    class RevocationKind(models.TextChoices):
        # The verify page says only "revoked" (or, for ERASED, only that the holder's data was erased, #13).
        REVOKED = "revoked", _("revoked by the issuer")
        ERASED = "erased", _("erased at the holder's request")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("cohort"))
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("participant")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Random (secrets), shown on the PDF and in its QR code's URL; kept across re-renders and reissues.
    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    # The name printed, taken from the account when issued and corrected by a reissue.
    holder_name = models.CharField(_("holder's name"), max_length=300)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    # Bumped on every render: file names and the e-mail's dedupe key carry it.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    template_version = models.CharField(_("template version"), max_length=16, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True, max_length=255)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revocation_kind = models.CharField(
        _("kind of revocation"), max_length=8, choices=RevocationKind.choices, default=RevocationKind.REVOKED
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["cohort", "holder_name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "cohort"], name="certificates_one_per_participant_cohort"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(sha256="") & ~Q(pdf="")), name="certificates_ready_has_pdf"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="certificates_revoked_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="certificates_cohort_status")]

    def __str__(self) -> str:
        return f"{self.code} ({self.holder_name}, {self.cohort})"

    def get_absolute_url(self) -> str:
        return reverse("certificates:certificate_detail", kwargs={"pk": self.pk})

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.READY and bool(self.pdf)


class CertificateEvent(models.Model):
    """What happened to a certificate, in order: its history survives reissues and revocation."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("issued")
        RENDERED = "rendered", _("rendered")
        FAILED = "failed", _("rendering failed")
        EMAILED = "emailed", _("e-mailed")
        REISSUED = "reissued", _("reissued")
        REVOKED = "revoked", _("revoked")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    holder_name = models.CharField(_("holder's name"), max_length=300, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {self.at:%Y-%m-%d}"
