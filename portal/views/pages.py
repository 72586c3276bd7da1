"""Pages that show one course or cohort across domains: its exercises, runs, agenda and staff."""

from typing import Any

from django.db.models import QuerySet
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView

from accounts.requests import acting_user
from core.views import ObjectPermissionMixin
from exercises import selectors as exercise_selectors
from portal import selectors
from trainings import selectors as trainings_selectors
from trainings.models import Cohort, Course


class CourseDetailView(ObjectPermissionMixin, DetailView):
    template_name = "portal/course_detail.html"
    context_object_name = "course"
    extra_context = {"section": "courses"}
    permission_required = "trainings.view_course"
    lookup_field = lookup_url_kwarg = "slug"
    object: Course

    def get_permission_queryset(self) -> QuerySet[Course]:
        return Course.objects.visible_to(self.request.user).prefetch_related("learning_objectives")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        context["course_exercises"] = exercise_selectors.course_exercise_list(course=self.object)
        context["visible_exercise_ids"] = exercise_selectors.course_visible_exercise_ids(course=self.object, user=user)
        context["cohorts"] = trainings_selectors.cohort_list(user=user).filter(course=self.object)
        return context


class CohortDetailView(ObjectPermissionMixin, DetailView):
    """The cohort's facts, people, calendar and agenda. Facts and agenda are rendered from the cache
    while ``cohort_page_version`` holds; what the viewer may do is asked here, once, not in the template.
    """

    template_name = "portal/cohort_detail.html"
    context_object_name = "cohort"
    extra_context = {"section": "cohorts"}
    permission_required = "trainings.view_cohort"
    lookup_field = lookup_url_kwarg = "slug"
    object: Cohort

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return selectors.cohort_page_queryset(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort, user = self.object, acting_user(self.request)
        can = {
            "view_course": user.has_perm("trainings.view_course", cohort.course),
            "view_roster": user.has_perm("trainings.view_cohort_roster", cohort),
            "plan": user.has_perm("trainings.change_cohort", cohort),
            "enrol": user.has_perm("participants.manage_cohort_enrolment", cohort),
            "record_attendance": user.has_perm("trainings.record_attendance", cohort),
            "hold_data": user.has_perm("trainings.hold_cohort_data", cohort),
            "manage_calendar": user.has_perm("portal.manage_cohort_calendar", cohort),
        }
        context.update(
            can=can,
            page_version=selectors.cohort_page_version(cohort=cohort),
            places_taken=selectors.cohort_places_taken(cohort=cohort) if can["view_roster"] else None,
            # Built only when the cache misses.
            agenda=SimpleLazyObject(lambda: exercise_selectors.cohort_schedule(cohort=cohort)),
            unscheduled_runs=SimpleLazyObject(lambda: list(exercise_selectors.cohort_unscheduled_runs(cohort=cohort))),
        )
        return context
