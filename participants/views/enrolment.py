"""Enrolment pages for coordinators: enrol one person, import and export a roster, the waiting
list, and an enrolment's status with its history.

A cohort (or enrolment) the user cannot see answers 404; one they see but may not act on, 403.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.tabular import FORMATS, table_response
from participants import roster, services
from participants.conflicts import cohort_waitlist_clashes
from participants.forms import EnrolForm, EnrolmentStatusForm, RosterUploadForm
from participants.models import Enrolment, EnrolmentStatusChange, RosterImport
from trainings import selectors as training_selectors
from trainings.models import Cohort

MANAGE = "participants.manage_cohort_enrolment"
VIEW_ROSTER = "trainings.view_cohort_roster"


class CohortPageMixin(LoginRequiredMixin):
    """A page about one cohort (``slug``), for people with ``permission`` on it."""

    permission = MANAGE
    # Pages that show the cohort's people answer 404, like the roster page, to those who may not see them.
    hide_when_denied = False
    cohort: Cohort
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        cohort = training_selectors.cohort_get(user=request.user, slug=kwargs["slug"])
        if cohort is None:
            raise Http404
        if not request.user.has_perm(self.permission, cohort):
            if self.hide_when_denied:
                raise Http404
            raise PermissionDenied
        self.cohort = cohort
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(cohort=self.cohort, section="cohorts")
        return context

    def roster_url(self) -> str:
        return reverse("participants:cohort_roster", kwargs={"slug": self.cohort.slug})


def _enrolled_message(enrolment: Enrolment) -> str:
    name = str(enrolment.participant.user)
    if enrolment.status == Enrolment.Status.WAITLISTED:
        return _("The cohort is full: %(name)s is on the waiting list.") % {"name": name}
    if enrolment.status == Enrolment.Status.ENROLLED:
        return _("%(name)s is enrolled and was told by email.") % {"name": name}
    return _("%(name)s is invited and was told by email.") % {"name": name}


class EnrolView(CohortPageMixin, FormView):
    template_name = "participants/enrol_form.html"
    form_class = EnrolForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.cohort}

    def form_valid(self, form: EnrolForm) -> HttpResponse:
        data = form.cleaned_data
        common = {
            "cohort": self.cohort,
            "by": acting_user(self.request),
            "status": data["status"],
            "note": data["note"],
            "waitlist_if_full": data["waitlist_if_full"],
        }
        try:
            enrolment = services.enrolment_create_for_person(
                participant=data["participant"], email=data["email"], profile=form.profile(), **common
            )
        except (ApplicationError, ValidationError) as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _enrolled_message(enrolment))
        return redirect(self.roster_url())


class RosterImportView(CohortPageMixin, FormView):
    """Upload a roster; its preview comes next."""

    template_name = "participants/roster_import.html"
    form_class = RosterUploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["imports"] = roster.roster_import_list(user=self.request.user, cohort=self.cohort)[:10]
        context["columns"] = roster.COLUMNS
        context["max_kb"] = settings.CONCORD_MAX_UPLOAD_BYTES // 1024
        return context

    def form_valid(self, form: RosterUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        limit = settings.CONCORD_MAX_UPLOAD_BYTES
        # Read one byte past the limit: enough for the size check without loading a huge file.
        content = upload.read(limit + 1)
        try:
            roster_import = roster.roster_import_create(
                cohort=self.cohort,
                uploaded_by=acting_user(self.request),
                filename=upload.name or "roster.csv",
                content=content,
                waitlist_rest=form.cleaned_data["waitlist_rest"],
                status=form.cleaned_data["status"],
            )
        except ApplicationError as error:
            for message in error.as_dict().get("non_field_errors", []):
                form.add_error("file", message)
            add_service_errors(form, ApplicationError(field_errors=error.field_errors))
            return self.form_invalid(form)
        return redirect("participants:roster_preview", pk=roster_import.pk)


class RosterPreviewView(LoginRequiredMixin, TemplateView):
    """Every row's outcome and problems; “Import all” imports every row or none."""

    template_name = "participants/roster_preview.html"
    roster_import: RosterImport

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        found = roster.roster_import_list(user=request.user).filter(pk=kwargs["pk"]).first()
        if found is None:
            raise Http404
        self.roster_import = found
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        roster_import = self.roster_import
        preview = kwargs.get("preview")
        if preview is None and roster_import.status == RosterImport.Status.PREVIEWED:
            preview = roster.roster_import_preview(roster_import=roster_import)
        only_problems = self.request.GET.get("problems") == "1"
        rows = []
        if preview is not None:
            rows = preview.error_rows if only_problems else preview.rows
        counts = preview.counts() if preview else (roster_import.summary or {}).get("counts", {})
        context.update(
            roster_import=roster_import,
            cohort=roster_import.cohort,
            preview=preview,
            rows=rows,
            only_problems=only_problems,
            counts=counts,
            new_people=counts.get("new", 0) + counts.get("profile", 0),
            section="cohorts",
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        roster_import = self.roster_import
        try:
            if action == "commit":
                roster_import = roster.roster_import_commit(roster_import=roster_import, by=acting_user(request))
                counts = roster_import.summary.get("counts", {})
                messages.success(
                    request,
                    _(
                        "Imported %(rows)d rows: %(new)d new people, %(enrol)d new places, "
                        "%(waitlist)d on the waiting list."
                    )
                    % {
                        "rows": counts.get("rows", 0),
                        "new": counts.get("new", 0) + counts.get("profile", 0),
                        "enrol": counts.get("enrol", 0),
                        "waitlist": counts.get("waitlist", 0),
                    },
                )
                return redirect("participants:cohort_roster", slug=roster_import.cohort.slug)
            if action == "discard":
                roster.roster_import_discard(roster_import=roster_import)
                messages.success(request, _("The roster was discarded; nothing of it was imported."))
                return redirect("participants:roster_import", slug=roster_import.cohort.slug)
            if action in ("waitlist_rest", "no_waitlist_rest"):
                roster.roster_import_options_update(
                    roster_import=roster_import, waitlist_rest=action == "waitlist_rest"
                )
                return redirect("participants:roster_preview", pk=roster_import.pk)
        except roster.RosterImportError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(preview=error.preview))
        except ApplicationError as error:
            messages.error(request, " ".join(m for ms in error.as_dict().values() for m in ms))
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(request.path)


class RosterExportView(CohortPageMixin, View):
    """The cohort's people and their status as CSV or XLSX (``?format=xlsx``, like the schedule export)."""

    permission = VIEW_ROSTER
    hide_when_denied = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            return HttpResponseBadRequest(
                _("Unknown format “%(format)s”: choose csv or xlsx.") % {"format": fmt}, content_type="text/plain"
            )
        headers, rows = roster.roster_export_rows(cohort=self.cohort)
        return table_response(filename=f"{self.cohort.slug}-roster", headers=headers, rows=rows, fmt=fmt)


class WaitlistView(CohortPageMixin, TemplateView):
    """The waiting list in its order, with why someone cannot move up now; free places can be given
    to it (e.g. after raising the capacity)."""

    template_name = "participants/waitlist.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        waiting = list(
            Enrolment.objects.filter(cohort=self.cohort, status=Enrolment.Status.WAITLISTED)
            .select_related("participant__user", "participant__agency")
            .order_by("waitlisted_at", "pk")
        )
        clashes = cohort_waitlist_clashes(cohort=self.cohort)
        for enrolment in waiting:
            # Shown next to the person: why they cannot move up now.
            setattr(enrolment, "schedule_clashes", clashes.get(enrolment.pk, []))  # noqa: B010
        context["waiting"] = waiting
        context["free_places"] = self._free_places()
        return context

    def _free_places(self) -> int:
        return max(0, self.cohort.capacity - services.cohort_places_taken(cohort=self.cohort))

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


class EnrolmentStatusView(LoginRequiredMixin, FormView):
    """Change an enrolment's status with a note; its history below."""

    template_name = "participants/enrolment_status_form.html"
    form_class = EnrolmentStatusForm
    enrolment: Enrolment

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        history = EnrolmentStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk")
        enrolment = (
            Enrolment.objects.visible_to(request.user)
            .select_related("cohort", "participant__user", "participant__agency")
            .prefetch_related(Prefetch("status_changes", queryset=history))
            .filter(pk=kwargs["pk"])
            .first()
        )
        if enrolment is None:
            raise Http404
        if not request.user.has_perm("participants.change_enrolment", enrolment):
            raise PermissionDenied
        self.enrolment = enrolment
        return super().dispatch(request, *args, **kwargs)

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
        except (ApplicationError, ValidationError) as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now “%(status)s”.")
            % {"name": self.enrolment.participant.user, "status": Enrolment.Status(status).label},
        )
        return redirect("participants:cohort_roster", slug=self.enrolment.cohort.slug)
