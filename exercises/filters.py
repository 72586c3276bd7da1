"""Filters for the exercises API (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter
from exercises.forms.fields import FilterForm
from exercises.models import Exercise, ExerciseRun


class ExerciseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Exercise.Kind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact", help_text=_("National variants, e.g. PL."))
    course = IdFilter(field_name="courses", help_text=_("A course id."))

    class Meta:
        model = Exercise
        fields = ("kind", "country", "course")
        form = FilterForm


class ExerciseRunFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id")
    exercise = IdFilter(field_name="exercise_id")
    status = django_filters.ChoiceFilter(choices=ExerciseRun.Status.choices)

    class Meta:
        model = ExerciseRun
        fields = ("cohort", "exercise", "status")
        form = FilterForm
