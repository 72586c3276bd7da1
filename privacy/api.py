"""Privacy's API: a coordinator erases a person (``POST /api/v1/users/<id>/erase/``)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from privacy.forms import email_confirms
from privacy.models import ErasureRecord
from privacy.services import REASON_MAX_LENGTH, person_erase


class PersonEraseSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)
    confirm_email = serializers.CharField(
        label=_("The person's e-mail address, to confirm"),
        max_length=254,
        help_text=_("The e-mail address of the person to erase, typed again: erasure cannot be undone."),
    )

    def validate_confirm_email(self, value: str) -> str:
        if not email_confirms(value, self.context["person"].email):
            raise serializers.ValidationError(_("This is not the e-mail address of the person to erase."))
        return value


class ErasureRecordSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True, label=_("person"))

    class Meta:
        model = ErasureRecord
        fields = ("person", "kind", "erased_at", "counts")
        read_only_fields = fields


class PersonEraseAPIView(APIView):
    """A coordinator erases a person: their name and e-mail go everywhere, counts keep their numbers
    under an anonymous label, their certificates are revoked. Other roles get 403; an unknown or erased
    person 404."""

    @extend_schema(request=PersonEraseSerializer, responses=ErasureRecordSerializer)
    def post(self, request: Request, pk: int) -> Response:
        by = request.user
        if not isinstance(by, User) or not by.has_perm("privacy.erase_person"):
            raise exceptions.PermissionDenied
        person = User.objects.filter(pk=pk, erased_at__isnull=True).first()
        if person is None:
            raise Http404
        serializer = PersonEraseSerializer(data=request.data, context={"request": request, "person": person})
        serializer.is_valid(raise_exception=True)
        record = person_erase(person=person, by=by, reason=serializer.validated_data["reason"])
        return Response(ErasureRecordSerializer(record).data)
