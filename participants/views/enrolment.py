"""Enrolment pages for coordinators: enrol one person, the waiting list, and an enrolment's status with its history.

A cohort (or enrolment) the user cannot see answers 404; one they see but may not act on, 403.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.views import ObjectPermissionMixin
from participants import selectors, services
from participants.conflicts import cohort_waitlist_clashes
from participants.forms import EnrolForm, EnrolmentStatusForm
from participants.models import Enrolment, EnrolmentStatusChange
from participants.views.cohort import CohortPeoplePage


def _enrolled_message(enrolment: Enrolment) -> str:
    name = str(enrolment.participant.user)
    if enrolment.status == Enrolment.Status.WAITLISTED:
        return _("The cohort is full: %(name)s is on the waiting list.") % {"name": name}
    if enrolment.status == Enrolment.Status.ENROLLED:
        return _("%(name)s is enrolled and was told by email.") % {"name": name}
    return _("%(name)s is invited and was told by email.") % {"name": name}


class EnrolView(CohortPeoplePage, FormView):
    template_name = "participants/enrol_form.html"
    form_class = EnrolForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.cohort}

    def form_valid(self, form: EnrolForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            enrolment = services.enrolment_create_for_person(
                cohort=self.cohort,
                by=acting_user(self.request),
                participant=data["participant"],
                email=data["email"],
                profile=form.profile(),
                status=data["status"],
                note=data["note"],
                waitlist_if_full=data["waitlist_if_full"],
            )
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _enrolled_message(enrolment))
        return redirect(self.roster_url())


class WaitlistView(CohortPeoplePage, TemplateView):
    """The waiting list in its order, with why someone cannot move up now; free places can be given
    to it (e.g. after raising the capacity)."""

    template_name = "participants/waitlist.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        waiting = list(selectors.cohort_waitlist(cohort=self.cohort))
        clashes = cohort_waitlist_clashes(cohort=self.cohort)
        for enrolment in waiting:
            # Shown next to the person: why they cannot move up now.
            setattr(enrolment, "schedule_clashes", clashes.get(enrolment.pk, []))  # noqa: B010
        context["waiting"] = waiting
        context["free_places"] = self._free_places()
        return context

    def _free_places(self) -> int:
        return max(0, self.cohort.capacity - selectors.cohort_places_taken(cohort=self.cohort))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        promoted = services.cohort_waitlist_promote(cohort=self.cohort, by=acting_user(request))
        if promoted:
            names = ", ".join(str(enrolment.participant.user) for enrolment in promoted)
            messages.success(
                request, _("Moved up from the waiting list and told by email: %(names)s.") % {"names": names}
            )
        else:
            messages.info(request, _("Nobody moved up: there is no free place, or nobody is waiting."))
        stuck = cohort_waitlist_clashes(cohort=self.cohort)
        if stuck and self._free_places():
            messages.warning(
                request,
                ngettext(
                    "%(count)d person stays waiting: another of their cohorts meets at the same time (see below).",
                    "%(count)d people stay waiting: another of their cohorts meets at the same time (see below).",
                    len(stuck),
                )
                % {"count": len(stuck)},
            )
        return redirect("participants:waitlist", slug=self.cohort.slug)


class EnrolmentStatusView(ObjectPermissionMixin, FormView):
    """Change an enrolment's status with a note; its history below."""

    template_name = "participants/enrolment_status_form.html"
    form_class = EnrolmentStatusForm
    permission_required = "participants.change_enrolment"

    def get_permission_queryset(self) -> QuerySet[Enrolment]:
        history = EnrolmentStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk")
        return (
            Enrolment.objects.visible_to(self.request.user)
            .select_related("cohort", "participant__user", "participant__agency")
            .prefetch_related(Prefetch("status_changes", queryset=history))
        )

    @property
    def enrolment(self) -> Enrolment:
        return self.object

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "enrolment": self.enrolment}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.enrolment,
            cohort=self.enrolment.cohort,
            history=self.enrolment.status_changes.all(),
            can_resend=self.enrolment.status != Enrolment.Status.WITHDRAWN,
            section="cohorts",
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "resend":
            try:
                services.enrolment_invitation_resend(enrolment=self.enrolment)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The email was sent again."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: EnrolmentStatusForm) -> HttpResponse:
        status = form.cleaned_data["status"]
        try:
            services.enrolment_status_change(
                enrolment=self.enrolment, status=status, by=acting_user(self.request), note=form.cleaned_data["note"]
            )
        except ApplicationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now “%(status)s”.")
            % {"name": self.enrolment.participant.user, "status": Enrolment.Status(status).label},
        )
        return redirect("participants:cohort_roster", slug=self.enrolment.cohort.slug)
