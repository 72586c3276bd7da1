"""The improvement plan's pages: a run's plan (draft from its areas for improvement, add), the open actions
by agency, one action (its status for its contact), its edit form, and the CSV export of the list."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.models import User
from accounts.requests import acting_user
from conduct.models import HotwashItem
from core.exceptions import ApplicationError
from core.tabular.export import table_response
from core.text import normalise_email
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun
from reports import action_selectors as selectors
from reports import action_services as services
from reports.models import ImprovementAction
from trainings.models import Agency, Cohort, LearningObjective

Status = ImprovementAction.Status
STATUS_FILTERS = [
    (selectors.STATUS_NOT_CLOSED, gettext_lazy("Open or in progress")),
    *Status.choices,
    (selectors.STATUS_ALL, gettext_lazy("All")),
]


class ActionFilterForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False, label=gettext_lazy("Agency"))
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), required=False, label=gettext_lazy("Cohort"))
    status = forms.ChoiceField(choices=STATUS_FILTERS, required=False, label=gettext_lazy("Status"))
    overdue = forms.BooleanField(required=False, label=gettext_lazy("Overdue only"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["cohort"].queryset = Cohort.objects.visible_to(user).order_by("-start_date", "name")

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "agency": data["agency"].pk if data.get("agency") else None,
            "cohort": data["cohort"].pk if data.get("cohort") else None,
            "status": data.get("status") or None,
            "overdue": data.get("overdue"),
        }


class ActionForm(forms.Form):
    """An action as the cohort's staff write it; the contact with an account is named by e-mail."""

    area = forms.CharField(
        label=gettext_lazy("Area for improvement"),
        max_length=services.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action = forms.CharField(
        label=gettext_lazy("Corrective action"),
        max_length=services.TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, label=gettext_lazy("Responsible agency")
    )
    objective = forms.ModelChoiceField(
        queryset=LearningObjective.objects.all(), required=False, label=gettext_lazy("Objective")
    )
    contact_account = forms.CharField(
        label=gettext_lazy("Contact's account (e-mail)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("A person with a Concord account: they see the action and update its status."),
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact name"), required=False, max_length=200)
    contact_email = forms.CharField(label=gettext_lazy("Contact e-mail"), required=False, max_length=254)
    due_date = forms.DateField(label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=Status.choices, label=gettext_lazy("Status"), initial=Status.OPEN)
    status_note = forms.CharField(
        label=gettext_lazy("Status note"),
        required=False,
        max_length=services.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_contact_account(self) -> User | None:
        value = self.cleaned_data.get("contact_account", "").strip()
        if not value:
            return None
        try:
            email = normalise_email(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this e-mail address."))
        return user

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["contact"] = data.pop("contact_account")
        return data

    @staticmethod
    def initial_for(action: ImprovementAction) -> dict[str, Any]:
        return {
            "area": action.area,
            "action": action.action,
            "agency": action.agency_id,
            "objective": action.objective_id,
            "contact_account": action.contact.email if action.contact else "",
            "contact_name": action.contact_name,
            "contact_email": action.contact_email,
            "due_date": action.due_date,
            "status": action.status,
            "status_note": action.status_note,
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label=gettext_lazy("Status"))
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=services.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:  # cancelling is the staff's decision
            fields: Any = self.fields
            fields["status"].choices = [c for c in Status.choices if c[0] != Status.CANCELLED]


def _errors_to_form(form: forms.Form, error: ApplicationError) -> None:
    for name, texts in error.message_dict.items():
        field = name if name in form.fields else None
        for text in texts:
            if text:
                form.add_error(field, text)


class RunActionsView(ObjectPermissionMixin, View):
    """A run's improvement plan (``reports.plan_improvements``): its actions, its areas for improvement to
    draft actions from, and a form to add one. The run's participants get 403, people who cannot see it 404.
    """

    template_name = "reports/actions/run_actions.html"
    permission_required = "reports.plan_improvements"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return ExerciseRun.objects.visible_to(self.request.user).select_related("cohort", "exercise")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(ActionForm(initial={"status": Status.OPEN}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run, by = self.object, acting_user(request)
        if "draft" in request.POST:
            ids = [value for value in request.POST.getlist("items") if value.isascii() and value.isdigit()]
            items = HotwashItem.objects.filter(run=run, pk__in=ids, kind=HotwashItem.Kind.IMPROVEMENT)
            try:
                drafted = services.improvement_actions_draft(run=run, items=items, by=by)
            except ApplicationError as error:
                for text in error.messages:
                    messages.error(request, text)
            else:
                messages.success(request, _("%(count)s actions drafted.") % {"count": len(drafted)})
            return HttpResponseRedirect(reverse("reports_actions:run_actions", kwargs={"pk": run.pk}))
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                services.improvement_action_create(run=run, by=by, **form.values())
            except ApplicationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Action added to the plan."))
                return HttpResponseRedirect(reverse("reports_actions:run_actions", kwargs={"pk": run.pk}))
        return self._page(form, status=400)

    def _page(self, form: ActionForm, status: int = 200) -> HttpResponse:
        run = self.object
        context = {
            "run": run,
            "form": form,
            "actions": selectors.run_plan(run=run, user=self.request.user),
            "areas": selectors.run_improvement_areas(run=run),
            "today": timezone.localdate(),
        }
        return render(self.request, self.template_name, context, status=status)


class ActionListView(LoginRequiredMixin, View):
    """The open actions by agency, filtered by agency, cohort, status and overdue: each person sees what
    they may (``ImprovementAction.objects.visible_to``). A fixed number of queries."""

    template_name = "reports/actions/action_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        form = ActionFilterForm(request.GET or None, user=user)
        actions = list(selectors.action_list(user=user, filters=form.filters()))
        context = {
            "form": form,
            "groups": selectors.actions_by_agency(actions),
            "count": len(actions),
            "today": timezone.localdate(),
            "delimiters": export_delimiter_choices(user=user),
            "section": "actions",
        }
        return render(request, self.template_name, context)


class ActionExportView(LoginRequiredMixin, View):
    """The list's actions (same filters) as CSV; ``?delimiter=`` as every export."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        try:
            delimiter = export_delimiter(user=user, requested=request.GET.get("delimiter"))
        except ApplicationError as error:
            return HttpResponse(error.message or "; ".join(error.messages), status=400, content_type="text/plain")
        form = ActionFilterForm(request.GET or None, user=user)
        actions = selectors.action_list(user=user, filters=form.filters())
        return table_response(
            filename="improvement-actions",
            headers=selectors.EXPORT_HEADERS,
            rows=selectors.action_export_rows(actions),
            fmt="csv",
            delimiter=delimiter,
        )


class ActionDetailView(ObjectPermissionMixin, View):
    """One action with its history; POST updates its status and note (``reports.update_improvementaction_status``:
    its contact and the cohort's staff)."""

    template_name = "reports/actions/action_detail.html"
    permission_required = "reports.view_improvementaction"
    object: ImprovementAction

    def get_permission_queryset(self) -> QuerySet[ImprovementAction]:
        return selectors.action_queryset(user=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.object
        initial = {"status": action.status, "note": action.status_note}
        return self._page(StatusForm(initial=initial, staff=self._staff()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = acting_user(request)
        if not user.has_perm("reports.update_improvementaction_status", self.object):
            return HttpResponse(status=403)
        form = StatusForm(request.POST, staff=self._staff())
        if form.is_valid():
            try:
                services.improvement_action_status_update(
                    action=self.object, by=user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
                )
            except ApplicationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Status saved."))
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self._page(form, status=400)

    def _staff(self) -> bool:
        return self.request.user.has_perm("reports.change_improvementaction", self.object)

    def _page(self, form: StatusForm, status: int = 200) -> HttpResponse:
        action = self.object
        context = {
            "action": action,
            "form": form,
            "history": selectors.action_history(action=action),
            "can_edit": self._staff(),
            "can_update": self.request.user.has_perm("reports.update_improvementaction_status", action),
            "today": timezone.localdate(),
        }
        return render(self.request, self.template_name, context, status=status)


class ActionEditView(ObjectPermissionMixin, View):
    """The staff's form for one action (``reports.change_improvementaction``); its contact gets 403.
    POST with ``delete`` removes it."""

    template_name = "reports/actions/action_edit.html"
    permission_required = "reports.change_improvementaction"
    object: ImprovementAction

    def get_permission_queryset(self) -> QuerySet[ImprovementAction]:
        return selectors.action_queryset(user=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(ActionForm(initial=ActionForm.initial_for(self.object)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action, by = self.object, acting_user(request)
        back = (
            reverse("reports_actions:run_actions", kwargs={"pk": action.run_id})
            if action.run_id
            else reverse("reports_actions:action_list")
        )
        if "delete" in request.POST:
            services.improvement_action_delete(action=action, by=by)
            messages.success(request, _("Action removed."))
            return HttpResponseRedirect(back)
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                services.improvement_action_update(action=action, by=by, data=form.values())
            except ApplicationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Action saved."))
                return HttpResponseRedirect(action.get_absolute_url())
        return self._page(form, status=400)

    def _page(self, form: ActionForm, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"action": self.object, "form": form}, status=status)
