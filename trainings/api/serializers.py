"""Shapes of the trainings API. Input serializers check shape only; services check the rules."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api import EnumField, VisibleRelatedField
from trainings.models import Agency, AgencyKind, Cohort, Course, DeliveryMode, LearningObjective, Session
from trainings.selectors import cohort_retention


def language_field(**kwargs: object) -> EnumField:
    return EnumField(settings.LANGUAGES, enum_name="Language", **kwargs)


def _people_visible(queryset: QuerySet[User], user: Any) -> QuerySet[User]:
    """People to name as a cohort's staff: only for those who may see everyone (coordinators)."""
    if user is not None and user.has_perm("accounts.view_user"):
        return queryset
    return queryset.none()


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "email", "name")

    @extend_schema_field(str)
    def get_name(self, user: User) -> str:
        return str(user)


class AgencySerializer(serializers.ModelSerializer):
    """Agencies read and write in the same shape."""

    kind = EnumField(AgencyKind)

    class Meta:
        model = Agency
        fields = ("id", "name", "kind", "country", "description")
        # The service reports a duplicate name with the database's own rule (full_clean).
        validators: list = []


class LearningObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearningObjective
        fields = ("id", "code", "title", "description", "category", "order", "is_active")
        read_only_fields = ("is_active",)
        extra_kwargs = {"code": {"validators": []}}


class LearningObjectiveSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = LearningObjective
        fields = ("id", "code", "title", "is_active")


class CourseSerializer(serializers.ModelSerializer):
    language = language_field()
    learning_objectives = LearningObjectiveSummarySerializer(many=True)

    class Meta:
        model = Course
        fields = ("id", "title", "slug", "summary", "language", "learning_objectives")


class CourseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ("id", "title", "slug")


class CourseInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, required=False, help_text=_("Made from the title when left out."))
    summary = serializers.CharField(required=False, allow_blank=True)
    language = language_field(required=False)
    # The catalogue is readable by everyone signed in.
    learning_objectives = serializers.PrimaryKeyRelatedField(
        queryset=LearningObjective.objects.all(), many=True, required=False
    )


class CohortRetentionSerializer(serializers.Serializer):
    """When the cohort's personal data is due for anonymisation, and the hold that keeps it."""

    due = serializers.DateField(
        help_text=_(
            "The end date plus CONCORD_RETENTION_COHORT_DAYS: from then the retention sweep anonymises its people."
        )
    )
    held = serializers.BooleanField(help_text=_("A coordinator keeps the data past the due date."))
    reason = serializers.CharField(allow_blank=True, help_text=_("Why the data is held; empty when it is not."))
    held_by = UserSummarySerializer(allow_null=True)
    held_at = serializers.DateTimeField(allow_null=True)


class CohortSerializer(serializers.ModelSerializer):
    course = CourseSummarySerializer()
    delivery_mode = EnumField(DeliveryMode)
    places_taken = serializers.IntegerField(read_only=True, help_text=_("Enrolments that hold a place."))
    coordinators = UserSummarySerializer(many=True)
    facilitators = UserSummarySerializer(many=True)
    retention = serializers.SerializerMethodField(
        help_text=_("For the cohort's staff (coordinators, its facilitators); null for everyone else.")
    )

    class Meta:
        model = Cohort
        fields = (
            "id",
            "course",
            "name",
            "slug",
            "start_date",
            "end_date",
            "delivery_mode",
            "venue",
            "video_link",
            "time_zone",
            "capacity",
            "places_taken",
            "coordinators",
            "facilitators",
            "retention",
        )

    @extend_schema_field(CohortRetentionSerializer(allow_null=True))
    def get_retention(self, cohort: Cohort) -> dict[str, Any] | None:
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not user.has_perm("trainings.view_cohort_roster", cohort):
            return None
        facts = cohort_retention(cohort=cohort)
        return CohortRetentionSerializer(
            {
                "due": facts.due,
                "held": facts.held,
                "reason": cohort.retention_hold,
                "held_by": cohort.retention_held_by,
                "held_at": cohort.retention_held_at,
            }
        ).data


class CohortRetentionHoldSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text=_("Why the cohort's personal data must be kept past the retention period.")
    )


class CohortInputSerializer(serializers.Serializer):
    course = VisibleRelatedField(queryset=Course.objects.all())
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, required=False, help_text=_("Made from the name when left out."))
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    delivery_mode = EnumField(DeliveryMode, required=False)
    venue = serializers.CharField(max_length=255, required=False, allow_blank=True)
    video_link = serializers.URLField(required=False, allow_blank=True)
    time_zone = serializers.CharField(max_length=64, help_text=_("An IANA time zone, e.g. Europe/Warsaw."))
    capacity = serializers.IntegerField(help_text=_("At least 1, and not below the places already taken."))
    coordinators = VisibleRelatedField(queryset=User.objects.all(), visible=_people_visible, many=True, required=False)
    facilitators = VisibleRelatedField(queryset=User.objects.all(), visible=_people_visible, many=True, required=False)


class SessionSerializer(serializers.ModelSerializer):
    """A session as the API shows it; writes send ``SessionInput``. Its cohort is an id (read-only)."""

    cohort = serializers.PrimaryKeyRelatedField(read_only=True)
    status = EnumField(Session.Status)
    time_zone = serializers.CharField(source="cohort.time_zone", read_only=True, help_text=_("The cohort's."))

    class Meta:
        model = Session
        fields = (
            "id",
            "cohort",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "room",
            "video_link",
            "status",
            "sequence",
        )


_AWARE = _("Give a UTC offset; a time without one is read as UTC.")


class SessionInputSerializer(serializers.Serializer):
    cohort = VisibleRelatedField(queryset=Cohort.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    starts_at = serializers.DateTimeField(help_text=_AWARE)
    ends_at = serializers.DateTimeField(help_text=_AWARE)
    room = serializers.CharField(max_length=200, required=False, allow_blank=True)
    video_link = serializers.URLField(required=False, allow_blank=True)


class SessionUpdateSerializer(serializers.Serializer):
    """A session stays in its cohort. Its status changes through the ``cancel`` and ``reinstate`` actions."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    starts_at = serializers.DateTimeField(required=False, help_text=_AWARE)
    ends_at = serializers.DateTimeField(required=False, help_text=_AWARE)
    room = serializers.CharField(max_length=200, required=False, allow_blank=True)
    video_link = serializers.URLField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Said, not ignored: a client that PATCHes the status would otherwise believe it cancelled.
        if "status" in getattr(self, "initial_data", {}):
            message = _("The status cannot be changed here: POST to the session's cancel/ or reinstate/ action.")
            raise serializers.ValidationError({"status": [message]})
        return attrs
