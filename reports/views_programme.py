"""The programme view: cohorts compared over time, and its tables as CSV (coordinators only)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views import View

from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.tabular.export import table_response
from reports import programme


class ProgrammeMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if request.user.is_authenticated and not request.user.has_perm("reports.view_programme"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ProgrammeView(ProgrammeMixin, View):
    template_name = "reports/programme/programme.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        figures = programme.programme_figures(user=user)
        context = {
            "figures": figures,
            "tables": [figures.table(name) for name in programme.TABLES],
            "delimiters": export_delimiter_choices(user=user),
            "section": "programme",
        }
        return render(request, self.template_name, context)


class ProgrammeExportView(ProgrammeMixin, View):
    """``?table=`` one of ``programme.TABLES``, ``?delimiter=`` as every export: the table as CSV."""

    def get(self, request: HttpRequest) -> HttpResponse:
        name = request.GET.get("table", "ratings")
        if name not in programme.TABLES:
            raise Http404
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get("delimiter"))
        except ApplicationError as error:
            return HttpResponse(error.message or "; ".join(error.messages), status=400, content_type="text/plain")
        table = programme.programme_figures(user=acting_user(request)).table(name)
        return table_response(
            filename=f"programme-{name.replace('_', '-')}",
            headers=table.headers,
            rows=table.rows,
            fmt="csv",
            delimiter=delimiter,
        )
