"""The base of every page about a cohort's people (``/cohorts/<slug>/…``)."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from core.views import ObjectPermissionMixin
from participants import selectors
from trainings.models import Cohort

MANAGE = "participants.manage_cohort_enrolment"
VIEW_ROSTER = "trainings.view_cohort_roster"


class CohortPeoplePage(ObjectPermissionMixin):
    """The cohort (``slug``) is found among those the user may see (404), then ``permission_required``
    is asked (403). Pages that show the cohort's people (``people``) answer 404, like the roster, to
    those who may not see them."""

    permission_required = MANAGE
    lookup_field = "slug"
    lookup_url_kwarg = "slug"
    people = False

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return selectors.cohort_queryset(user=self.request.user, people=self.people, places=True)

    @property
    def cohort(self) -> Cohort:
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(cohort=self.cohort, section="cohorts")
        return context

    def roster_url(self) -> str:
        return reverse("participants:cohort_roster", kwargs={"slug": self.cohort.slug})
