"""Shapes of the participants API."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.languages import user_language
from core.api import EnumField
from participants.api.fields import EmailAddressField, NameField
from participants.models import Enrolment, EnrolmentStatusChange, Participant
from participants.services import NEW_ENROLMENT_STATUSES
from trainings.api.serializers import AgencySerializer, UserSummarySerializer, language_field
from trainings.models import Agency, Cohort


class ParticipantSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    agency = AgencySerializer(allow_null=True, read_only=True)
    # The account's language (accounts.User.language); the default when they chose none.
    preferred_language = language_field(source="user.language", read_only=True)

    class Meta:
        model = Participant
        fields = ("id", "email", "first_name", "last_name", "agency", "position", "country", "preferred_language")

    def to_representation(self, instance: Participant) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["preferred_language"] = user_language(instance.user)
        return data


class ParticipantSummarySerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = Participant
        fields = ("id", "email", "name")


class ParticipantUpdateSerializer(serializers.Serializer):
    first_name = NameField(required=False, allow_blank=True)
    last_name = NameField(required=False, allow_blank=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, help_text=_("e.g. RO"))
    preferred_language = language_field(required=False)


class ParticipantInputSerializer(ParticipantUpdateSerializer):
    email = EmailAddressField(
        help_text=_(
            "An existing person with this address gets the profile (and the names given); a member of staff's "
            "address is refused."
        )
    )


class ParticipantSelfUpdateSerializer(serializers.Serializer):
    """What participants may change on their own profile; anything else is refused, not ignored."""

    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    preferred_language = language_field(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refused = sorted(set(self.initial_data) - set(self.fields))
        if refused:
            raise serializers.ValidationError({field: [_("Only a coordinator can change this.")] for field in refused})
        return attrs


class EnrolmentStatusChangeSerializer(serializers.ModelSerializer):
    from_status = EnumField(Enrolment.Status, allow_null=True, help_text=_("Empty for the first status."))
    to_status = EnumField(Enrolment.Status)
    changed_by = UserSummarySerializer(allow_null=True)

    class Meta:
        model = EnrolmentStatusChange
        fields = ("from_status", "to_status", "changed_by", "changed_at", "note")

    def to_representation(self, instance: EnrolmentStatusChange) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["from_status"] = data["from_status"] or None
        return data


class EnrolmentSerializer(serializers.ModelSerializer):
    participant = ParticipantSummarySerializer()
    status = EnumField(Enrolment.Status)
    status_changes = EnrolmentStatusChangeSerializer(many=True, help_text=_("The history, oldest first."))

    class Meta:
        model = Enrolment
        fields = (
            "id",
            "cohort",
            "participant",
            "status",
            "status_changed_at",
            "waitlisted_at",
            "created_at",
            "status_changes",
        )


class EnrolmentInputSerializer(serializers.Serializer):
    cohort = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.all())
    participant = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("An existing participant; or leave it out and give a new person's `email`."),
    )
    email = EmailAddressField(
        required=False,
        allow_blank=True,
        help_text=_(
            "A person to enrol by email instead of `participant`: someone new gets an account, a profile "
            "from the fields below and an invitation to set a password; an existing participant is enrolled as is."
        ),
    )
    first_name = NameField(required=False, allow_blank=True)
    last_name = NameField(required=False, allow_blank=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, help_text=_("e.g. RO"))
    preferred_language = language_field(required=False)
    status = EnumField(
        [(s.value, s.label) for s in NEW_ENROLMENT_STATUSES],
        enum_name="NewEnrolmentStatus",
        required=False,
        help_text=_("Invited (the default) or enrolled."),
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)
    waitlist_if_full = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "When the cohort is full: true puts the person on the waiting list (status `waitlisted`); "
            "false, the default, refuses with HTTP 400."
        ),
    )

    PROFILE_FIELDS = ("first_name", "last_name", "agency", "position", "country", "preferred_language")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("participant")) == bool(attrs.get("email")):
            raise serializers.ValidationError(
                {"participant": [_("Give either an existing participant or a new person's email.")]}
            )
        return attrs


class EnrolmentStatusInputSerializer(serializers.Serializer):
    status = EnumField(Enrolment.Status)
    note = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text=_("Why, kept in the history.")
    )
