"""The hot-wash board of a run: its staff write strengths and areas for improvement; authors change their own."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.requests import acting_user
from conduct import selectors, services
from conduct.models import HotwashItem
from conduct.services.observations import run_objective_ids
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun, RunTeam
from trainings.models import AgencyKind, LearningObjective


class HotwashForm(forms.Form):
    kind = forms.ChoiceField(choices=HotwashItem.Kind.choices, label=gettext_lazy("Kind"))
    text = forms.CharField(
        label=gettext_lazy("Point"), max_length=services.HOTWASH_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    team = forms.ModelChoiceField(queryset=RunTeam.objects.none(), required=False, label=gettext_lazy("Team"))
    agency_kind = forms.ChoiceField(
        choices=[("", "–"), *AgencyKind.choices],
        required=False,
        label=gettext_lazy("or agency kind"),
    )
    objective = forms.ModelChoiceField(
        queryset=LearningObjective.objects.none(), required=False, label=gettext_lazy("Objective")
    )

    def __init__(self, *args: Any, run: ExerciseRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = RunTeam.objects.filter(run=run).select_related("team_role")
        fields["objective"].queryset = LearningObjective.objects.filter(pk__in=run_objective_ids(run=run))


def _board(run: ExerciseRun) -> str:
    return reverse("conduct:run_hotwash", kwargs={"pk": run.pk})


class RunHotwashView(ObjectPermissionMixin, View):
    """GET shows the board and the form; POST adds a point, or (``delete`` = an item id) removes one's own.

    Coordinators and the run cohort's facilitators (``conduct.debrief_run``): participants who see the run
    get 403, everyone else 404.
    """

    template_name = "conduct/run_hotwash.html"
    permission_required = "conduct.debrief_run"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.run_clock_queryset(user=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(HotwashForm(run=self.object))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run, by = self.object, acting_user(request)
        if "delete" in request.POST:
            return self._delete(run, by, request.POST["delete"])
        form = HotwashForm(request.POST, run=run)
        if form.is_valid():
            try:
                services.hotwash_item_create(run=run, by=by, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Point added to the board."))
                return HttpResponseRedirect(_board(run))
        return self._page(form, status=400)

    def _delete(self, run: ExerciseRun, by: Any, item_id: str) -> HttpResponse:
        item = selectors.hotwash_queryset(user=self.request.user).filter(run=run, pk=_int(item_id)).first()
        if item is None:
            messages.error(self.request, _("That point is no longer on the board."))
        else:
            try:
                services.hotwash_item_delete(item=item, by=by)
            except ApplicationError as error:
                for message in error.messages:
                    messages.error(self.request, message)
            else:
                messages.success(self.request, _("Point removed."))
        return HttpResponseRedirect(_board(run))

    def _page(self, form: HotwashForm, status: int = 200) -> HttpResponse:
        context = {
            "run": self.object,
            "form": form,
            "items": selectors.run_hotwash_list(run=self.object, user=self.request.user),
            "me": acting_user(self.request),
        }
        return render(self.request, self.template_name, context, status=status)


class HotwashItemEditView(ObjectPermissionMixin, View):
    """The author's form for one point (``conduct.change_hotwashitem``): other staff who see it get 403."""

    template_name = "conduct/hotwash_item_edit.html"
    permission_required = "conduct.change_hotwashitem"
    lookup_url_kwarg = "item_pk"
    object: HotwashItem

    def get_permission_queryset(self) -> QuerySet[HotwashItem]:
        return selectors.hotwash_queryset(user=self.request.user).filter(run_id=self.kwargs["pk"])

    def get(self, request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
        item = self.object
        initial = {
            "kind": item.kind,
            "text": item.text,
            "team": item.team_id,
            "agency_kind": item.agency_kind,
            "objective": item.objective_id,
        }
        return self._page(HotwashForm(initial=initial, run=item.run))

    def post(self, request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
        item = self.object
        form = HotwashForm(request.POST, run=item.run)
        if form.is_valid():
            try:
                services.hotwash_item_update(item=item, by=acting_user(request), data=form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Point saved."))
                return HttpResponseRedirect(_board(item.run))
        return self._page(form, status=400)

    def _page(self, form: HotwashForm, status: int = 200) -> HttpResponse:
        context = {"item": self.object, "run": self.object.run, "form": form}
        return render(self.request, self.template_name, context, status=status)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
