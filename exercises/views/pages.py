"""Read pages: exercise index, the facilitator guide, and an exercise run."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from accounts.languages import reader_language
from core.views import ObjectPermissionMixin
from exercises import selectors
from exercises.models import Exercise, ExerciseRun


class ExerciseListView(LoginRequiredMixin, ListView):
    template_name = "exercises/exercise_list.html"
    context_object_name = "exercises"
    paginate_by = 25
    extra_context = {"section": "exercises"}

    def get_queryset(self) -> Any:
        return selectors.exercise_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Plan warnings are for whoever may change exercises (coordinators).
        context["show_plan_warnings"] = self.request.user.has_perm("exercises.change_exercise")
        return context


class ExerciseDetailView(ObjectPermissionMixin, DetailView):
    """The full facilitator guide."""

    template_name = "exercises/exercise_detail.html"
    context_object_name = "exercise"
    extra_context = {"section": "exercises"}
    permission_required = "exercises.view_exercise"
    lookup_field = lookup_url_kwarg = "slug"

    def get_permission_queryset(self) -> QuerySet[Exercise]:
        return selectors.exercise_guide_queryset(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["guide"] = selectors.exercise_guide(exercise=self.object)
        # The languages it exists in, each with the variant a reader of it gets: a link if one may open it.
        languages = selectors.exercise_languages(exercise=self.object)
        ids = [variant.pk for _code, _name, variant in languages]
        visible = set(self.get_permission_queryset().filter(pk__in=ids).values_list("pk", flat=True))
        context["languages"] = [
            (code, name, variant if variant.pk in visible else None) for code, name, variant in languages
        ]
        if self.request.user.has_perm("exercises.change_exercise", self.object):
            context["plan_warnings"] = selectors.exercise_plan_warnings(exercise=self.object)
        return context


class ExerciseRunDetailView(ObjectPermissionMixin, DetailView):
    """A run: staff see every team and its members; a participant sees only their own team; a guest of
    its cell sees when and where it is, and their place in the cell."""

    template_name = "exercises/exerciserun_detail.html"
    context_object_name = "run"
    extra_context = {"section": "cohorts"}
    permission_required = "exercises.view_exerciserun"

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.exercise_run_queryset(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run, user = self.object, self.request.user
        context["parts"] = parts = selectors.exercise_run_parts(run=run)
        context["phase_plan"] = [planned for part in parts for planned in part.phases]
        context["can_view_exercise"] = user.has_perm("exercises.view_exercise", run.exercise)
        context["can_manage"] = user.has_perm("exercises.facilitate_exerciserun", run)
        context["can_manage_cell"] = user.has_perm("exercises.manage_cell", run)
        # A guest of the cell sees the run, not its cohort: no links into it, no team section.
        context["can_view_cohort"] = user.has_perm("trainings.view_cohort", run.cohort)
        context["cell_place"] = selectors.cell_place_for(run=run, user=user)
        if context["cell_place"] is not None:
            context["cell_room_url"] = selectors.cell_room_url(run=run)
        if context["can_manage"]:
            context["teams"] = selectors.exercise_run_team_list(run=run)
        else:
            # The participant's own team, once the teams are confirmed (exercises.view_team_briefing).
            membership = selectors.team_membership_list_for_user(user=user).filter(run=run).first()
            context["own_team"] = membership.team if membership is not None else None
            if membership is not None:  # in the reader's language where the exercise has a variant in it
                context["briefing"] = selectors.team_briefing(
                    team_role=membership.team.team_role, exercise=run.exercise, language=reader_language(self.request)
                )
        return context
