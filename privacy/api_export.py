"""Privacy's API: ask for a person's data export (``POST /api/v1/privacy/exports/``), answered 202 with the job."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.requests import acting_user
from core.api import ErrorSerializer
from jobs.api.serializers import JobSerializer
from privacy.services import person_export_request


class PersonExportInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        label=_("person"),
        required=False,
        min_value=1,
        help_text=_("The id of the person whose data to export; yourself when left out. Others: coordinators only."),
    )


class PersonExportViewSet(viewsets.GenericViewSet):
    """A person's data export: everything held about them as a ZIP of JSON and CSV, built in the background."""

    permission_classes = (permissions.IsAuthenticated,)
    serializer_class = JobSerializer
    filter_backends = ()

    @extend_schema(
        request=PersonExportInputSerializer,
        responses={
            202: OpenApiResponse(
                JobSerializer,
                description=(
                    "The export job: follow it at /api/v1/jobs/{id}/ and download the ZIP from its download/ "
                    "while it is kept (CONCORD_PRIVACY_EXPORT_HOURS). Asking again while it runs answers the "
                    "same job."
                ),
            ),
            400: OpenApiResponse(
                ErrorSerializer, description="The person's data was erased: there is nothing to export."
            ),
            403: OpenApiResponse(ErrorSerializer, description="Only coordinators may ask for another person's data."),
            404: OpenApiResponse(ErrorSerializer, description="No such person."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Ask for a data export of yourself, or (coordinators) of another person: 202 with the job."""
        serializer = PersonExportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        by = acting_user(request)
        person_id = serializer.validated_data.get("person", by.pk)
        person = by if person_id == by.pk else User.objects.filter(pk=person_id).first()
        # The rule first, on no one when the id is unknown: ids are confirmed to coordinators only.
        if not by.has_perm("privacy.export_person", person):
            raise exceptions.PermissionDenied
        if person is None:
            raise Http404
        job = person_export_request(person=person, by=by)
        return Response(JobSerializer(job, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED)
