"""Filters for the trainings API (django-filter)."""

import datetime as dt
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField, RangeField
from django_filters.widgets import DateRangeWidget

from core.filters import IdFilter
from trainings.models import Agency, AgencyKind, Cohort, Course, DeliveryMode, LearningObjective, Session

# The UTC offsets in use on Earth; PostgreSQL refuses a displacement beyond ±15:59 (a 500, not a 400).
EARLIEST_OFFSET = dt.timedelta(hours=-12)
LATEST_OFFSET = dt.timedelta(hours=14)


class UtcOffsetIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time whose UTC offset is a real one (-12:00 to +14:00), read as UTC."""

    def to_python(self, value: object) -> dt.datetime | None:
        result = super().to_python(value)
        offset = result.utcoffset() if result is not None else None
        if offset is None:
            return result
        if not EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
            raise ValidationError(
                _("The UTC offset must be between -12:00 and +14:00."), code="utc_offset", params={"value": value}
            )
        return result.astimezone(dt.UTC)


class UtcOffsetIsoDateTimeRangeField(RangeField):
    widget = DateRangeWidget

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__((UtcOffsetIsoDateTimeField(), UtcOffsetIsoDateTimeField()), *args, **kwargs)


class IsoDateTimeFromToRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    """``<name>_after`` / ``<name>_before``, each with a real UTC offset (400 otherwise)."""

    field_class = UtcOffsetIsoDateTimeRangeField


class AgencyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact", help_text=_("ISO 3166 code, e.g. PL."))

    class Meta:
        model = Agency
        fields = ("kind", "country")


class LearningObjectiveFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = LearningObjective
        fields = ("is_active", "category")


class CourseFilter(django_filters.FilterSet):
    objective = IdFilter(field_name="learning_objectives", help_text=_("A learning objective id."))

    class Meta:
        model = Course
        fields = ("language", "objective")


class CohortFilter(django_filters.FilterSet):
    course = IdFilter(field_name="course_id")
    delivery_mode = django_filters.ChoiceFilter(choices=DeliveryMode.choices)
    start_date = django_filters.DateFromToRangeFilter()
    facilitator = IdFilter(field_name="facilitators", help_text=_("A facilitator's user id."))
    running_on = django_filters.DateFilter(method="filter_running_on", label=_("Cohorts running on this day."))

    class Meta:
        model = Cohort
        fields = ("course", "delivery_mode", "start_date", "facilitator", "running_on")

    def filter_running_on(self, queryset: QuerySet[Cohort], name: str, value: dt.date) -> QuerySet[Cohort]:
        return queryset.filter(start_date__lte=value, end_date__gte=value)


class SessionFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id")
    status = django_filters.ChoiceFilter(choices=Session.Status.choices)
    starts_at = IsoDateTimeFromToRangeFilter()
    course = IdFilter(field_name="cohort__course_id")

    class Meta:
        model = Session
        fields = ("cohort", "status", "starts_at", "course")
