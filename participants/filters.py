"""Filters for the participants API (django-filter)."""

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter
from participants.models import Enrolment, Participant
from trainings import access
from trainings.models import AgencyKind


class ParticipantFilter(django_filters.FilterSet):
    agency = IdFilter(field_name="agency_id")
    agency_kind = django_filters.ChoiceFilter(field_name="agency__kind", choices=AgencyKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact", help_text=_("ISO 3166 code, e.g. RO."))
    preferred_language = django_filters.ChoiceFilter(field_name="user__language", choices=settings.LANGUAGES)
    cohort = IdFilter(method="filter_cohort", help_text=_("A cohort id."))

    class Meta:
        model = Participant
        fields = ("agency", "agency_kind", "country", "preferred_language", "cohort")

    def filter_cohort(self, queryset: QuerySet[Participant], name: str, value: int) -> QuerySet[Participant]:
        # Only cohorts the user may see: otherwise the filter would tell who is enrolled elsewhere.
        user = self.request.user if self.request is not None else None
        if not access.sees_everything(user) and value not in access.visible_cohort_ids(user):
            return queryset.none()
        return queryset.filter(enrolments__cohort_id=value).distinct()


class EnrolmentFilter(django_filters.FilterSet):
    cohort = IdFilter(field_name="cohort_id")
    participant = IdFilter(field_name="participant_id")
    status = django_filters.MultipleChoiceFilter(choices=Enrolment.Status.choices)

    class Meta:
        model = Enrolment
        fields = ("cohort", "participant", "status")
