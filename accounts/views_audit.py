"""Coordinators' pages about the audit trail: the filtered entries, their CSV export, the chain's check."""

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views import View

from accounts.audit_trail import (
    EXPORT_HEADERS,
    PAGE_SIZE,
    AuditFilterForm,
    audit_entries_filtered,
    audit_export_rows,
    audit_people,
    filters_used,
)
from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.requests import acting_user
from audit.models import AuditEntry
from audit.selectors import audit_verify
from audit.services import audit_read, audit_seal
from core.exceptions import ApplicationError
from core.tabular import table_response

PERMISSION = "audit.view_auditentry"


class AuditEntryListView(PermissionRequiredMixin, View):
    permission_required = PERMISSION
    template_name = "accounts/audit_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET)
        valid = form.is_valid()
        entries = audit_entries_filtered(data=form.cleaned_data) if valid else AuditEntry.objects.none()
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        people = audit_people(entries=page.object_list)
        rows = [(entry, people.get(entry.actor_id), people.get(entry.subject_id)) for entry in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "delimiters": export_delimiter_choices(user=acting_user(request)),
            "delimiter_parameter": DELIMITER_PARAMETER,
            "section": "audit",
        }
        if valid:
            detail = {"count": page.paginator.count, "page": page.number, "filters": filters_used(form.cleaned_data)}
            audit_read(action="audit.list", detail=detail)
        return render(request, self.template_name, context, status=200 if valid else 400)


class AuditExportView(PermissionRequiredMixin, View):
    """The filtered entries as CSV, in the person's delimiter; the export is itself an entry."""

    permission_required = PERMISSION

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get(DELIMITER_PARAMETER))
        except ApplicationError as error:
            return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
        entries = list(audit_entries_filtered(data=form.cleaned_data))
        audit_read(action="audit.export", detail={"count": len(entries), "filters": filters_used(form.cleaned_data)})
        return table_response(
            filename="audit-trail",
            headers=EXPORT_HEADERS,
            rows=audit_export_rows(entries=entries),
            fmt="csv",
            delimiter=delimiter,
        )


class AuditVerifyView(PermissionRequiredMixin, View):
    """GET checks the sealed chain as it stands; POST first seals what was written since the last seal."""

    permission_required = PERMISSION
    template_name = "accounts/audit_verify.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(sealed=None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self._page(sealed=audit_seal())

    def _page(self, *, sealed: int | None) -> HttpResponse:
        report = audit_verify()
        context: dict[str, Any] = {"report": report, "sealed": sealed, "section": "audit"}
        return render(self.request, self.template_name, context)
