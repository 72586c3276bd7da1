"""A cohort's people: the roster page, its export, and the roster import (upload, preview, commit).

A cohort (or import) the user cannot see answers 404; one they see but may not act on, 403.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.requests import acting_user
from audit.services import audit_read
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.tabular import FORMATS, table_response
from core.views import ObjectPermissionMixin
from jobs.selectors import jobs_for_scope
from participants import roster, selectors, services
from participants.forms import RosterUploadForm
from participants.models import RosterImport
from participants.roster_job import roster_commit_in_background, roster_commit_request, roster_import_scope
from participants.views.cohort import VIEW_ROSTER, CohortPeoplePage


class CohortRosterView(CohortPeoplePage, TemplateView):
    """The cohort's people, for its staff. Its own page, so the agenda does not grow with the roster."""

    template_name = "participants/cohort_roster.html"
    permission_required = VIEW_ROSTER
    people = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roster"] = roster_rows = list(selectors.cohort_roster(cohort=self.cohort))
        # One entry for the page, with how many people it showed.
        audit_read(action="roster.view", target=self.cohort, detail={"count": len(roster_rows)})
        context["formats"] = FORMATS
        context["delimiters"] = export_delimiter_choices(user=self.request.user)
        return context


class RosterExportView(CohortPeoplePage, View):
    """The cohort's people and their status as CSV or XLSX (``?format=xlsx``, like the schedule export).

    CSV cells are separated by commas or semicolons (``?delimiter=semicolon``): the choice is remembered.
    """

    permission_required = VIEW_ROSTER
    people = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            return HttpResponseBadRequest(
                _("Unknown format “%(format)s”: choose csv or xlsx.") % {"format": fmt[:20]}, content_type="text/plain"
            )
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get(DELIMITER_PARAMETER))
        except ApplicationError as error:
            return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
        headers, rows = selectors.roster_export_rows(cohort=self.cohort)
        audit_read(action="roster.export", target=self.cohort, detail={"count": len(rows), "format": fmt})
        return table_response(
            filename=f"{self.cohort.slug}-roster", headers=headers, rows=rows, fmt=fmt, delimiter=delimiter
        )


class RosterImportView(CohortPeoplePage, FormView):
    """Upload a roster; its preview comes next."""

    template_name = "participants/roster_import.html"
    form_class = RosterUploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["imports"] = selectors.roster_import_list(user=self.request.user, cohort=self.cohort)[:10]
        context["columns"] = roster.COLUMNS
        context["max_kb"] = settings.CONCORD_MAX_UPLOAD_BYTES // 1024
        return context

    def form_valid(self, form: RosterUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            roster_import = services.roster_import_create(
                cohort=self.cohort,
                uploaded_by=acting_user(self.request),
                filename=upload.name or "roster.csv",
                # One byte past the limit is enough for the size check; the message says the real size.
                content=upload.read(settings.CONCORD_MAX_UPLOAD_BYTES + 1),
                size=upload.size,
                waitlist_rest=form.cleaned_data["waitlist_rest"],
                status=form.cleaned_data["status"],
            )
        except ApplicationError as error:
            for message in error.as_dict().get("non_field_errors", []):
                form.add_error("file", message)
            add_service_errors(form, ApplicationError(field_errors=error.field_errors))
            return self.form_invalid(form)
        return redirect("participants:roster_preview", pk=roster_import.pk)


class RosterPreviewView(ObjectPermissionMixin, TemplateView):
    """Every row's outcome and problems; “Import all” imports every row or none."""

    template_name = "participants/roster_preview.html"
    permission_required = "participants.view_rosterimport"

    def get_permission_queryset(self) -> QuerySet[RosterImport]:
        return selectors.roster_import_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        roster_import = self.object
        preview = kwargs.get("preview")
        # A purged import has no file left to check: its page shows the counts kept and says why.
        if preview is None and roster_import.status == RosterImport.Status.PREVIEWED and not roster_import.purged_at:
            preview = selectors.roster_import_preview(roster_import=roster_import)
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
            ignored_columns=preview.ignored_columns
            if preview
            else (roster_import.summary or {}).get("ignored_columns", []),
            new_people=counts.get("new", 0) + counts.get("profile", 0),
            # A long import is committed by a job: its progress, polled, while it runs and after.
            job=jobs_for_scope(scope=roster_import_scope(roster_import)).first(),
            section="cohorts",
            roster_file_days=settings.CONCORD_ROSTER_FILE_DAYS,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        roster_import = self.object
        try:
            if action == "commit" and roster_commit_in_background(roster_import=roster_import):
                roster_commit_request(roster_import=roster_import, by=acting_user(request))
                messages.info(request, _("The roster is being imported. This page shows when it is done."))
                return redirect("participants:roster_preview", pk=roster_import.pk)
            if action == "commit":
                roster_import = services.roster_import_commit(roster_import=roster_import, by=acting_user(request))
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
                services.roster_import_discard(roster_import=roster_import)
                messages.success(request, _("The roster was discarded; nothing of it was imported."))
                return redirect("participants:roster_import", slug=roster_import.cohort.slug)
            if action in ("waitlist_rest", "no_waitlist_rest"):
                services.roster_import_options_update(
                    roster_import=roster_import, waitlist_rest=action == "waitlist_rest"
                )
                return redirect("participants:roster_preview", pk=roster_import.pk)
        except services.RosterImportError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(preview=error.preview))
        except ApplicationError as error:
            messages.error(request, " ".join(m for ms in error.as_dict().values() for m in ms))
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(request.path)
