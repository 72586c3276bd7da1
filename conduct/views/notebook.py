"""A run's facilitator notebook: one's own longer notes, and the colleagues' to read."""

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
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun


class NotebookForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("My notes"),
        required=False,
        strip=False,
        max_length=services.NOTEBOOK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
    )


class RunNotebookView(ObjectPermissionMixin, View):
    """Coordinators and the run cohort's facilitators (``conduct.add_observation`` of the run); others
    who see the run get 403, everyone else 404."""

    template_name = "conduct/run_notebook.html"
    permission_required = "conduct.add_observation"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.run_clock_queryset(user=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        me = acting_user(request)
        mine = next((n for n in selectors.run_notebook_list(run=self.object) if n.author_id == me.pk), None)
        return self._page(NotebookForm(initial={"text": mine.text if mine else ""}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = NotebookForm(request.POST)
        if form.is_valid():
            try:
                services.notebook_save(run=self.object, by=acting_user(request), text=form.cleaned_data["text"])
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Notebook saved."))
                return HttpResponseRedirect(reverse("conduct:run_notebook", kwargs={"pk": self.object.pk}))
        return self._page(form, status=400)

    def _page(self, form: NotebookForm, status: int = 200) -> HttpResponse:
        me = acting_user(self.request)
        others = [n for n in selectors.run_notebook_list(run=self.object) if n.author_id != me.pk and n.text]
        context = {"run": self.object, "form": form, "others": others}
        return render(self.request, self.template_name, context, status=status)
