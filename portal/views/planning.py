"""Planning pages for coordinators: cohorts from a course, and the cohort's day-by-day agenda.

Conflicts are explained on the form when they refuse a change; soft ones are saved and shown
as warnings on the next page. Objects a user cannot see answer 404; visible ones they may not
plan answer 403 (core.views.ObjectPermissionMixin).
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.views import ObjectPermissionMixin
from exercises import selectors as exercise_selectors
from exercises.conflicts import schedule_warnings
from portal import services
from trainings import services as trainings_services
from trainings.conflicts import ScheduleConflictError
from trainings.forms import CohortForm, SessionCancelForm, SessionForm
from trainings.models import Cohort, Course, Session
from trainings.views.planning import ConflictFormMixin, agenda_url, show_warnings

# An agenda lists every day of its cohort; a longer cohort lists the days that have sessions.
AGENDA_MAX_DAYS = 62


class CohortPageMixin(ObjectPermissionMixin):
    """A planning page about one cohort, found by its slug."""

    lookup_field = lookup_url_kwarg = "slug"
    object: Cohort

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user).select_related("course")

    @property
    def cohort(self) -> Cohort:
        return self.object


class SessionPageMixin(ObjectPermissionMixin):
    """A planning page about one session (``trainings.change_session``), found by its id."""

    permission_required = "trainings.change_session"
    object: Session

    def get_permission_queryset(self) -> QuerySet[Session]:
        return Session.objects.visible_to(self.request.user).select_related("cohort__course")

    @property
    def session(self) -> Session:
        return self.object

    @property
    def cohort(self) -> Cohort:
        return self.object.cohort


# --- cohorts ---------------------------------------------------------------------------------


class CohortCreateView(ObjectPermissionMixin, FormView):
    template_name = "portal/cohort_form.html"
    form_class = CohortForm
    extra_context = {"section": "cohorts"}
    permission_required = "trainings.add_cohort"
    lookup_field = lookup_url_kwarg = "slug"
    object: Course

    def get_permission_queryset(self) -> QuerySet[Course]:
        return Course.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(course=self.object, **kwargs)

    def form_valid(self, form: CohortForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            cohort = trainings_services.cohort_create(course=self.object, **data)
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cohort “%(name)s” created. Now lay out its sessions.") % {"name": cohort})
        return HttpResponseRedirect(agenda_url(cohort))


class CohortUpdateView(CohortPageMixin, FormView):
    template_name = "portal/cohort_form.html"
    form_class = CohortForm
    extra_context = {"section": "cohorts"}
    permission_required = "trainings.change_cohort"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.cohort}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, course=self.cohort.course, **kwargs)

    def form_valid(self, form: CohortForm) -> HttpResponse:
        try:
            cohort = services.cohort_update(cohort=self.cohort, data=form.cleaned_data, by=acting_user(self.request))
        except ApplicationError as error:
            self.cohort.refresh_from_db()  # the service set the refused values on it
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cohort “%(name)s” saved.") % {"name": cohort})
        return HttpResponseRedirect(cohort.get_absolute_url())


# --- the agenda ------------------------------------------------------------------------------


class CohortAgendaView(CohortPageMixin, TemplateView):
    """Every day of the cohort with its sessions, runs and planned phases, and what to do with them."""

    template_name = "portal/cohort_agenda_edit.html"
    extra_context = {"section": "cohorts"}
    permission_required = "trainings.change_cohort"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        scheduled = {day.date: day.entries for day in exercise_selectors.cohort_schedule(cohort=cohort)}
        length = (cohort.end_date - cohort.start_date).days + 1
        if length <= AGENDA_MAX_DAYS:
            dates = [cohort.start_date + dt.timedelta(days=n) for n in range(length)]
            dates = sorted(set(dates) | set(scheduled))
        else:
            dates = sorted(scheduled)
        context.update(
            cohort=cohort,
            days=[(date, scheduled.get(date, [])) for date in dates],
            unscheduled_runs=exercise_selectors.cohort_unscheduled_runs(cohort=cohort),
        )
        return context


class SessionCreateView(CohortPageMixin, ConflictFormMixin, FormView):
    template_name = "portal/session_form.html"
    form_class = SessionForm
    extra_context = {"section": "cohorts"}
    permission_required = "trainings.add_session"

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"date": self.cohort.start_date, "room": ""}
        try:
            day = dt.date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            day = None
        if day is not None and self.cohort.start_date <= day <= self.cohort.end_date:
            initial["date"] = day
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.cohort}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, **kwargs)

    def form_valid(self, form: SessionForm) -> HttpResponse:
        try:
            session = services.session_create(cohort=self.cohort, **form.service_data())
        except ApplicationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Session “%(title)s” added.") % {"title": session.title})
        show_warnings(self.request, schedule_warnings(session=session))
        return HttpResponseRedirect(agenda_url(self.cohort, session))


class SessionUpdateView(SessionPageMixin, ConflictFormMixin, FormView):
    """Edit or move a session: its exercise run, planned from the session's start, moves with it."""

    template_name = "portal/session_form.html"
    form_class = SessionForm
    extra_context = {"section": "cohorts"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.cohort, "session": self.session}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, session=self.session, **kwargs)

    def form_valid(self, form: SessionForm) -> HttpResponse:
        try:
            session = services.session_update(session=self.session, data=form.service_data())
        except ApplicationError as error:
            self.session.refresh_from_db()  # the service set the refused values on it
            return self.refuse(form, error)
        messages.success(self.request, _("Session “%(title)s” saved.") % {"title": session.title})
        show_warnings(self.request, schedule_warnings(session=session))
        return HttpResponseRedirect(agenda_url(self.cohort, session))


class SessionCancelView(SessionPageMixin, FormView):
    """Asks first; cancelling emails the session's participants and facilitators."""

    template_name = "portal/session_cancel.html"
    form_class = SessionCancelForm
    extra_context = {"section": "cohorts"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, session=self.session, **kwargs)

    def form_valid(self, form: SessionCancelForm) -> HttpResponse:
        try:
            services.session_cancel(session=self.session, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(title)s” is cancelled; its participants and facilitators are being told by email.")
            % {"title": self.session.title},
        )
        return HttpResponseRedirect(agenda_url(self.cohort, self.session))


class SessionReinstateView(SessionPageMixin, View):
    """A button on the agenda (POST only): the cancelled session is scheduled again, or the reasons it cannot be."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            session = services.session_reinstate(session=self.session)
        except ScheduleConflictError as error:
            messages.error(request, error.message)
            for conflict in error.conflicts:
                messages.error(request, conflict.message)
        except ApplicationError as error:
            for texts in error.as_dict().values():
                for text in texts:
                    messages.error(request, text)
        else:
            messages.success(request, _("“%(title)s” is scheduled again.") % {"title": session.title})
            show_warnings(request, schedule_warnings(session=session))
        return HttpResponseRedirect(agenda_url(self.cohort, self.session))
