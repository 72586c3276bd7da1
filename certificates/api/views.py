"""The certificates API under /api/v1/:

- ``certificates/``: mine as a holder, my cohorts' as staff (``?cohort=``); ``download/`` (GET, the PDF),
  ``revoke/``, ``reissue/`` and ``render/`` (POST, those who manage the cohort's certificates);
- ``certificates/verify/{code}/``: public and rate-limited, the same fields as the verify page;
- ``certificate-policies/{cohort id}/``: a cohort's rules (GET, PATCH);
- ``certificate-eligibility/?cohort=``: who is eligible and why not;
- ``eligibility-overrides/``: list, create, delete;
- ``certificate-issues/`` and ``certificate-zips/``: POST starts the job, 202 with it.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.requests import acting_user
from audit.services import audit_read
from audit.views import AuditedReadMixin
from certificates import codes, selectors, services
from certificates.api.serializers import (
    CertificateSerializer,
    EligibilityRowSerializer,
    IssueInputSerializer,
    OverrideInputSerializer,
    OverrideSerializer,
    PolicyInputSerializer,
    PolicySerializer,
    ReissueInputSerializer,
    RevokeInputSerializer,
    VerificationSerializer,
    ZipInputSerializer,
)
from certificates.models import Certificate, EligibilityOverride
from certificates.throttling import CertificateVerifyThrottle
from core.exceptions import ApplicationError
from core.filters import IdFilter
from core.permissions import object_for
from core.viewsets import ServiceAPIMixin, ServiceViewSet
from jobs.api.serializers import JobSerializer
from participants.models import Participant
from trainings.models import Cohort


class CertificateFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id", help_text=_("A cohort id."))

    class Meta:
        model = Certificate
        fields = ("cohort",)


class OverrideFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id", help_text=_("A cohort id."))

    class Meta:
        model = EligibilityOverride
        fields = ("cohort",)


class CertificateViewSet(AuditedReadMixin, ServiceViewSet):
    audit_entity = "certificate"
    audit_subject = "participant.user_id"
    queryset = Certificate.objects.all()
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    ordering_fields = ("holder_name", "issued_at")
    search_fields = ()
    rules_actions = {
        "download": "certificates.download_certificate",
        "revoke": "certificates.change_certificate",
        "reissue": "certificates.change_certificate",
        "render": "certificates.change_certificate",
    }

    def get_queryset(self) -> QuerySet[Certificate]:
        return selectors.certificate_queryset(user=self.request.user).order_by("cohort_id", "holder_name", "pk")

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str, **kwargs: Any) -> Any:
        """The PDF (a holder's own, unless revoked; any of the cohort's for those who manage it)."""
        certificate = self.get_object()
        if not certificate.is_downloadable:
            raise Http404
        audit_read(action="certificate.download", target=certificate, subject_id=certificate.participant.user_id)
        return FileResponse(
            certificate.pdf.open("rb"),
            as_attachment=True,
            filename=f"certificate-{certificate.code}.pdf",
            content_type="application/pdf",
        )

    @extend_schema(request=RevokeInputSerializer, responses={200: CertificateSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Revoke with a reason (kept in the history; the verify page says only "revoked")."""
        data = self.validated_input(RevokeInputSerializer)
        certificate = services.certificate_revoke(certificate=self.get_object(), by=acting_user(request), **data)
        return self.respond(certificate)

    @extend_schema(request=ReissueInputSerializer, responses={202: CertificateSerializer})
    @action(detail=True, methods=["post"])
    def reissue(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Correct the holder's name: same code, next revision rendered in the background."""
        data = self.validated_input(ReissueInputSerializer)
        certificate = services.certificate_reissue(certificate=self.get_object(), by=acting_user(request), **data)
        return self.respond(certificate, status_code=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: CertificateSerializer})
    @action(detail=True, methods=["post"])
    def render(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Render the PDF again in the background (same code)."""
        certificate = services.certificate_render_again(certificate=self.get_object(), by=acting_user(request))
        return self.respond(certificate, status_code=status.HTTP_202_ACCEPTED)


class CertificateVerifyView(APIView):
    """Public: is the certificate with this code valid? The course, the cohort's dates and the holder's name."""

    permission_classes = (permissions.AllowAny,)
    authentication_classes = ()
    throttle_classes = (CertificateVerifyThrottle,)

    @extend_schema(responses={200: VerificationSerializer}, auth=[])
    def get(self, request: Request, code: str) -> Response:
        certificate = selectors.certificate_for_verification(code=codes.normalise_code(code))
        if certificate is None:
            raise Http404
        response = Response(VerificationSerializer(VerificationSerializer.of(certificate)).data)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class CertificatePolicyViewSet(mixins.RetrieveModelMixin, ServiceAPIMixin):
    """A cohort's certificate rules, addressed by the cohort's id (the defaults until first saved)."""

    queryset = Cohort.objects.all()
    serializer_class = PolicySerializer
    rules_actions = {
        "retrieve": "certificates.view_certificatepolicy",
        "partial_update": "certificates.change_certificatepolicy",
    }

    def get_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user)

    @extend_schema(responses={200: PolicySerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(PolicySerializer(selectors.certificate_policy_for(cohort=self.get_object())).data)

    @extend_schema(request=PolicyInputSerializer, responses={200: PolicySerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cohort = self.get_object()
        serializer = PolicyInputSerializer(
            data=request.data, partial=True, context={**self.get_serializer_context(), "cohort": cohort}
        )
        serializer.is_valid(raise_exception=True)
        policy = services.certificate_policy_update(
            cohort=cohort, by=acting_user(request), data=dict(serializer.validated_data)
        )
        return Response(PolicySerializer(policy).data)


def _cohort_for(request: Request, cohort: Cohort | int | str | None, perm: str) -> Cohort:
    return object_for(user=request.user, queryset=Cohort.objects.visible_to(request.user), perm=perm, pk=cohort)


class EligibilityViewSet(viewsets.GenericViewSet):
    """Who in a cohort is eligible for a certificate and why not (``?cohort=``, required)."""

    permission_classes = (permissions.IsAuthenticated,)
    serializer_class = EligibilityRowSerializer
    pagination_class = None
    filter_backends = ()

    @extend_schema(
        parameters=[OpenApiParameter("cohort", OpenApiTypes.INT, required=True, description=_("A cohort id."))],
        responses={200: EligibilityRowSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw = request.query_params.get("cohort", "")
        if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63):
            raise serializers.ValidationError({"cohort": [_("Give a cohort id: ?cohort=<id>.")]})
        cohort = _cohort_for(request, int(raw), "certificates.view_cohort_certificates")
        rows = selectors.cohort_eligibility(cohort=cohort)
        return Response(EligibilityRowSerializer(rows, many=True).data)


class EligibilityOverrideViewSet(mixins.DestroyModelMixin, ServiceViewSet):
    queryset = EligibilityOverride.objects.all()
    serializer_class = OverrideSerializer
    http_method_names = ("get", "post", "delete", "head", "options")  # type: ignore[assignment]
    filterset_class = OverrideFilter
    search_fields = ()

    def get_queryset(self) -> QuerySet[EligibilityOverride]:
        return EligibilityOverride.objects.visible_to(self.request.user).order_by("cohort_id", "participant_id", "rule")

    @extend_schema(request=OverrideInputSerializer, responses={201: OverrideSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_input(OverrideInputSerializer)
        if not request.user.has_perm("certificates.manage_certificates", data["cohort"]):
            raise PermissionDenied
        override = services.eligibility_override_grant(by=acting_user(request), **data)
        return self.respond(override, status_code=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.eligibility_override_remove(override=self.get_object(), by=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class _JobStartViewSet(viewsets.GenericViewSet):
    permission_classes = (permissions.IsAuthenticated,)
    serializer_class = JobSerializer
    filter_backends = ()

    def _answer(self, job: Any, created: bool) -> Response:
        return Response(JobSerializer(job, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED)


class CertificateIssueViewSet(_JobStartViewSet):
    @extend_schema(request=IssueInputSerializer, responses={202: JobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Issue the cohort's certificates (all eligible, or ``participants``): 202 with the job (the same
        job while an identical one is active)."""
        serializer = IssueInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        cohort = _cohort_for(request, serializer.validated_data["cohort"].pk, "certificates.manage_certificates")
        ids = serializer.validated_data.get("participants")
        participants = None
        if ids is not None:
            participants = list(Participant.objects.filter(pk__in=ids))
            if len(participants) != len(set(ids)):
                raise ApplicationError(field_errors={"participants": [_("Some of these people do not exist.")]})
        job, created = services.certificate_issue(cohort=cohort, participants=participants, by=acting_user(request))
        return self._answer(job, created)


class CertificateZipViewSet(_JobStartViewSet):
    @extend_schema(request=ZipInputSerializer, responses={202: JobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Build the cohort's ready certificates into one ZIP: 202 with the job; the file is kept for a while."""
        serializer = ZipInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        cohort = _cohort_for(request, serializer.validated_data["cohort"].pk, "certificates.manage_certificates")
        job, created = services.certificate_zip_request(cohort=cohort, by=acting_user(request))
        return self._answer(job, created)
