"""The attendance sheet of a session: the cohort's facilitators and coordinators record it in one save."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.views import ObjectPermissionMixin
from participants.attendance import attendance_mark_all_present, attendance_record, session_attendance_sheet
from participants.forms import AttendanceForm
from trainings.models import Session


class SessionAttendanceView(ObjectPermissionMixin, FormView):
    template_name = "participants/attendance_form.html"
    form_class = AttendanceForm
    permission_required = "trainings.record_attendance"

    def get_permission_queryset(self) -> QuerySet[Session]:
        return Session.objects.visible_to(self.request.user).select_related("cohort")

    @property
    def session(self) -> Session:
        return self.object

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "lines": session_attendance_sheet(session=self.session)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(session=self.session, cohort=self.session.cohort, section="cohorts")
        return context

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        # "Mark all present" is a second form on the page, posting here with its own button name.
        if "mark_all_present" not in request.POST:
            return super().post(request, *args, **kwargs)
        try:
            attendance_mark_all_present(session=self.session, by=acting_user(request))
        except ApplicationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Everyone enrolled without a record is marked present."))
        return HttpResponseRedirect(request.path)

    def form_valid(self, form: AttendanceForm) -> HttpResponse:
        try:
            attendance_record(session=self.session, records=form.records(), by=acting_user(self.request))
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Attendance saved."))
        return HttpResponseRedirect(self.request.path)
