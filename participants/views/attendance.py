"""The attendance sheet of a session: the cohort's facilitators and coordinators record it in one save."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from participants.attendance import attendance_record, session_attendance_sheet
from participants.forms import AttendanceForm
from trainings.models import Session


class SessionAttendanceView(LoginRequiredMixin, FormView):
    template_name = "participants/attendance_form.html"
    form_class = AttendanceForm
    session: Session

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        session = Session.objects.visible_to(request.user).select_related("cohort").filter(pk=kwargs["pk"]).first()
        if session is None:
            raise Http404
        if not request.user.has_perm("trainings.record_attendance", session):
            raise PermissionDenied
        self.session = session
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "lines": session_attendance_sheet(session=self.session)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(session=self.session, cohort=self.session.cohort, section="cohorts")
        return context

    def form_valid(self, form: AttendanceForm) -> HttpResponse:
        try:
            attendance_record(session=self.session, records=form.records(), by=acting_user(self.request))
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Attendance saved."))
        return HttpResponseRedirect(self.request.path)
