"""The calendar-feeds API: list, create, renew and revoke the token addresses of iCalendar feeds."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.requests import acting_user
from core.api import EnumField
from core.filters import IdFilter
from core.viewsets import ServiceViewSet
from portal.calendars import selectors as calendars
from portal.calendars import services as feeds
from portal.models import CalendarFeed
from trainings.models import Cohort

KIND_CHOICES = [("cohort", gettext_lazy("A cohort's feed")), ("person", gettext_lazy("A person's own feed"))]


class CalendarFeedSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    cohort_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    webcal_url = serializers.SerializerMethodField()
    is_live = serializers.SerializerMethodField()

    class Meta:
        model = CalendarFeed
        fields = ("id", "kind", "cohort", "cohort_name", "created_at", "revoked_at", "is_live", "url", "webcal_url")
        read_only_fields = fields

    @extend_schema_field(EnumField(KIND_CHOICES, enum_name="CalendarFeedKind"))
    def get_kind(self, feed: CalendarFeed) -> str:
        return "cohort" if feed.cohort_id is not None else "person"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_cohort_name(self, feed: CalendarFeed) -> str | None:
        return feed.cohort.name if feed.cohort is not None else None

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text=gettext_lazy("The feed's address; empty once revoked."))
    )
    def get_url(self, feed: CalendarFeed) -> str | None:
        return calendars.calendar_feed_url(feed=feed) if feed.revoked_at is None else None

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text=gettext_lazy("The same address as webcal://, which opens a subscribe dialog.")
        )
    )
    def get_webcal_url(self, feed: CalendarFeed) -> str | None:
        return calendars.calendar_feed_webcal_url(feed=feed) if feed.revoked_at is None else None

    @extend_schema_field(serializers.BooleanField())
    def get_is_live(self, feed: CalendarFeed) -> bool:
        return feed.revoked_at is None


class VisibleCohortField(serializers.PrimaryKeyRelatedField):
    """A cohort the requesting user may see; others are refused as if they did not exist."""

    def get_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.context["request"].user)


class CalendarFeedInputSerializer(serializers.Serializer):
    cohort = VisibleCohortField(
        queryset=Cohort.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("A cohort id for the cohort's feed (coordinators); leave it out for your own feed."),
    )


class CalendarFeedFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id", help_text=gettext_lazy("A cohort id."))
    kind = django_filters.ChoiceFilter(
        choices=KIND_CHOICES,
        method="filter_kind",
    )

    class Meta:
        model = CalendarFeed
        fields = ("cohort", "kind")

    def filter_kind(self, queryset: QuerySet[CalendarFeed], name: str, value: str) -> QuerySet[CalendarFeed]:
        return queryset.filter(cohort__isnull=value != "cohort")


class CalendarFeedViewSet(ServiceViewSet):
    """iCalendar feeds: your own (everyone signed in) and cohorts' (coordinators). Live feeds only.

    A feed's ``url`` answers without sign-in, so calendar programs can subscribe; renew it when it was
    shared too widely, revoke it when it is no longer wanted. Either way the old address answers 404.
    """

    queryset = CalendarFeed.objects.all()
    serializer_class = CalendarFeedSerializer
    filterset_class = CalendarFeedFilter
    ordering_fields = ("created_at",)
    rules_actions = {"renew": "change", "revoke": "change"}

    def get_queryset(self) -> QuerySet[CalendarFeed]:
        return calendars.calendar_feed_visible_list(user=self.request.user)

    @extend_schema(request=CalendarFeedInputSerializer, responses={201: CalendarFeedSerializer})
    def create(self, request: Request, **kwargs: Any) -> Response:
        """Create your own feed, or (coordinators) a cohort's; refused while a live one exists."""
        cohort: Any = self.validated_input(CalendarFeedInputSerializer).get("cohort")
        if cohort is not None and not request.user.has_perm("portal.manage_cohort_calendar", cohort):
            raise PermissionDenied(_("Only a training coordinator manages a cohort's calendar feed."))
        feed = feeds.calendar_feed_create(by=acting_user(self.request), cohort=cohort)
        return self.respond(feed, status_code=201)

    @extend_schema(request=None, responses={201: CalendarFeedSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Revoke this feed and answer with its replacement, at a new address."""
        feed = feeds.calendar_feed_renew(feed=self.get_object(), by=acting_user(self.request))
        return self.respond(feed, status_code=201)

    @extend_schema(request=None, responses=CalendarFeedSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str, **kwargs: Any) -> Response:
        """Stop this feed: its address answers 404 from now on."""
        feed = feeds.calendar_feed_revoke(feed=self.get_object())
        return Response(self.get_serializer(feed).data)
