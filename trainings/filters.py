"""Filters for the trainings API (django-filter)."""

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trainings.models import Agency, AgencyKind, Cohort, Course, DeliveryMode, LearningObjective, Session


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
    objective = django_filters.NumberFilter(field_name="learning_objectives", help_text=_("A learning objective id."))

    class Meta:
        model = Course
        fields = ("language", "objective")


class CohortFilter(django_filters.FilterSet):
    course = django_filters.NumberFilter(field_name="course_id")
    delivery_mode = django_filters.ChoiceFilter(choices=DeliveryMode.choices)
    start_date = django_filters.DateFromToRangeFilter()
    facilitator = django_filters.NumberFilter(field_name="facilitators", help_text=_("A facilitator's user id."))
    running_on = django_filters.DateFilter(method="filter_running_on", label=_("Cohorts running on this day."))

    class Meta:
        model = Cohort
        fields = ("course", "delivery_mode", "start_date", "facilitator", "running_on")

    def filter_running_on(self, queryset: QuerySet[Cohort], name: str, value: dt.date) -> QuerySet[Cohort]:
        return queryset.filter(start_date__lte=value, end_date__gte=value)


class SessionFilter(django_filters.FilterSet):
    cohort = django_filters.NumberFilter(field_name="cohort_id")
    status = django_filters.ChoiceFilter(choices=Session.Status.choices)
    starts_at = django_filters.IsoDateTimeFromToRangeFilter()
    course = django_filters.NumberFilter(field_name="cohort__course_id")

    class Meta:
        model = Session
        fields = ("cohort", "status", "starts_at", "course")
