"""Shapes of the certificates API: output serializers, and input serializers for each service call."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from certificates.models import Certificate, CertificatePolicy, EligibilityOverride
from core.api import EnumField, VisibleRelatedField
from participants.models import Participant
from reflections.models import Administration
from trainings.api.serializers import language_field
from trainings.models import Cohort


class CertificateSerializer(serializers.ModelSerializer):
    status = EnumField(Certificate.Status, read_only=True)
    language = language_field(read_only=True)
    download_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = (
            "id",
            "cohort",
            "participant",
            "holder_name",
            "status",
            "code",
            "language",
            "revision",
            "template_version",
            "sha256",
            "issued_at",
            "rendered_at",
            "revoked_at",
            "download_url",
            "verify_url",
        )
        read_only_fields = fields

    def get_download_url(self, certificate: Certificate) -> str | None:
        if not certificate.is_downloadable:
            return None
        return reverse("api:certificate-download", kwargs={"pk": certificate.pk})

    def get_verify_url(self, certificate: Certificate) -> str:
        return reverse("certificates:verify", kwargs={"code": certificate.code})


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReissueInputSerializer(serializers.Serializer):
    holder_name = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VerificationSerializer(serializers.Serializer):
    """Everything a third party learns from a code: nothing more than the verify page shows."""

    code = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "revoked", "erased"])
    holder_name = serializers.CharField(allow_null=True)
    course_title = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)

    @staticmethod
    def of(certificate: Certificate) -> dict[str, Any]:
        if certificate.status == Certificate.Status.REVOKED and certificate.revocation_kind == "erased":
            return {
                "code": certificate.code,
                "status": "erased",
                "holder_name": None,
                "course_title": None,
                "start_date": None,
                "end_date": None,
            }
        return {
            "code": certificate.code,
            "status": "revoked" if certificate.status == Certificate.Status.REVOKED else "valid",
            "holder_name": certificate.holder_name,
            "course_title": certificate.cohort.course.title,
            "start_date": certificate.cohort.start_date,
            "end_date": certificate.cohort.end_date,
        }


class PolicySerializer(serializers.ModelSerializer):
    attendance = EnumField(CertificatePolicy.Attendance)
    reflection = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = CertificatePolicy
        fields = (
            "cohort",
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
        read_only_fields = fields


class PolicyInputSerializer(serializers.Serializer):
    attendance = EnumField(CertificatePolicy.Attendance, required=False)
    min_attendance_percent = serializers.IntegerField(min_value=1, max_value=100, required=False)
    reflection = serializers.PrimaryKeyRelatedField(
        queryset=Administration.objects.all(), required=False, allow_null=True
    )
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True, min_value=0)
    signatory_1_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signatory_1_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signatory_2_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signatory_2_title = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cohort = self.context.get("cohort")
        field = self.fields["reflection"]
        field.queryset = Administration.objects.filter(cohort=cohort) if cohort else Administration.objects.none()  # type: ignore[attr-defined]


class OverrideSerializer(serializers.ModelSerializer):
    rule = EnumField(EligibilityOverride.Rule, read_only=True)

    class Meta:
        model = EligibilityOverride
        fields = ("id", "cohort", "participant", "rule", "reason", "granted_by", "created_at")
        read_only_fields = fields


class EligibilityRowSerializer(serializers.Serializer):
    participant = serializers.IntegerField(source="participant.pk")
    name = serializers.CharField(source="participant.user.get_full_name")
    enrolment_status = serializers.CharField()
    attended = serializers.IntegerField()
    held = serializers.IntegerField()
    attendance_met = serializers.BooleanField()
    reflection_required = serializers.BooleanField()
    reflection_done = serializers.BooleanField()
    overrides = serializers.SerializerMethodField()
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    certificate = serializers.SerializerMethodField()

    def get_overrides(self, row: Any) -> list[str]:
        return sorted(row.overrides)

    def get_certificate(self, row: Any) -> int | None:
        return row.certificate.pk if row.certificate else None


class OverrideInputSerializer(serializers.Serializer):
    cohort = VisibleRelatedField(queryset=Cohort.objects.all())
    participant = serializers.PrimaryKeyRelatedField(queryset=Participant.objects.all())
    rule = EnumField(EligibilityOverride.Rule)
    reason = serializers.CharField(max_length=2000)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # Only the people of cohorts the caller may see (never a list of everyone in the browsable API).
        user = getattr(self.context.get("request"), "user", None)
        fields["participant"].queryset = Participant.objects.visible_to(user)  # type: ignore[attr-defined]
        return fields


class IssueInputSerializer(serializers.Serializer):
    cohort = VisibleRelatedField(queryset=Cohort.objects.all())
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_null=True,
        max_length=1000,
    )


class ZipInputSerializer(serializers.Serializer):
    cohort = VisibleRelatedField(queryset=Cohort.objects.all())
