"""Giving questionnaires: a cohort's (``/cohorts/<slug>/reflections/``) and a run's (``/runs/<id>/reflections/``)
list with the form to give one, and changing, closing or deleting one. For the cohort's staff and coordinators."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises.models import ExerciseRun
from reflections import selectors, services
from reflections.forms import AdministrationForm
from reflections.models import Administration
from reflections.views import form_error
from trainings.models import Cohort


def _list_url(administration: Administration) -> str:
    if administration.run_id:
        return reverse("reflections:run_reflections", kwargs={"pk": administration.run_id})
    return reverse("reflections:cohort_reflections", kwargs={"slug": administration.cohort.slug})


class _GiveView(ObjectPermissionMixin, View):
    """The list of what was given here, and the form to give a questionnaire."""

    permission_required = "reflections.administer"

    def cohort(self) -> Cohort:
        raise NotImplementedError

    def run(self) -> ExerciseRun | None:
        return None

    def _form(self, data: Any = None) -> AdministrationForm:
        questionnaires = selectors.administrable_questionnaires(user=self.request.user)
        return AdministrationForm(data, questionnaires=questionnaires, initial={"min_respondents": 5})

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._page(self._form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.administration_create(
                    by=acting_user(request),
                    questionnaire=form.cleaned_data["questionnaire"],
                    cohort=self.cohort(),
                    run=self.run(),
                    data=form.service_data(),
                )
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The questionnaire is given; reminders are scheduled."))
                return HttpResponseRedirect(request.path)
        return self._page(form, status=400)

    def _page(self, form: AdministrationForm, status: int = 200) -> HttpResponse:
        administrations = selectors.administration_list(user=self.request.user, cohort=self.cohort(), run=self.run())
        # The cohort's page shows each post administration's change per objective since its pre one.
        prepost = [
            (administration, changes)
            for administration in administrations
            if self.run() is None and administration.stage == Administration.Stage.POST
            for changes in [selectors.prepost_for(administration=administration)]
            if changes
        ]
        context = {
            "cohort": self.cohort(),
            "run": self.run(),
            "administrations": administrations,
            "prepost": prepost,
            "form": form,
        }
        return render(self.request, "reflections/administration_list.html", context, status=status)


class CohortReflectionsView(_GiveView):
    lookup_field = "slug"
    lookup_url_kwarg = "slug"
    object: Cohort

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user)

    def cohort(self) -> Cohort:
        return self.object


class RunReflectionsView(_GiveView):
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return ExerciseRun.objects.visible_to(self.request.user).select_related("cohort", "exercise", "session")

    def cohort(self) -> Cohort:
        return self.object.cohort

    def run(self) -> ExerciseRun:
        return self.object


class AdministrationObjectMixin(ObjectPermissionMixin):
    permission_required = "reflections.change_administration"
    object: Administration

    def get_permission_queryset(self) -> QuerySet[Administration]:
        return selectors.administration_queryset(user=self.request.user)


class AdministrationEditView(AdministrationObjectMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(AdministrationForm(instance=self.object, editing=True))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        original = Administration.objects.get(pk=self.object.pk)
        form = AdministrationForm(request.POST, instance=Administration.objects.get(pk=self.object.pk), editing=True)
        if form.is_valid():
            try:
                services.administration_update(
                    administration=original, by=acting_user(request), data=form.service_data()
                )
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Saved; unsent reminders follow the new times."))
                return HttpResponseRedirect(_list_url(original))
        return self._page(form, status=400)

    def _page(self, form: AdministrationForm, status: int = 200) -> HttpResponse:
        context = {"administration": self.object, "form": form}
        return render(self.request, "reflections/administration_form.html", context, status=status)


class AdministrationCloseView(AdministrationObjectMixin, View):
    """POST: close it now."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.administration_close(administration=self.object, by=acting_user(request))
        except ApplicationError as error:
            messages.error(request, error.message or "; ".join(error.messages))
        else:
            messages.success(request, _("Closed: no more answers are taken."))
        return HttpResponseRedirect(_list_url(self.object))


class AdministrationDeleteView(AdministrationObjectMixin, View):
    permission_required = "reflections.delete_administration"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "reflections/administration_delete.html", {"administration": self.object})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        url = _list_url(self.object)
        try:
            services.administration_delete(administration=self.object, by=acting_user(request))
        except ApplicationError as error:
            messages.error(request, error.message or "; ".join(error.messages))
        else:
            messages.success(request, _("Deleted."))
        return HttpResponseRedirect(url)
