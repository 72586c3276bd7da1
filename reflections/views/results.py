"""An administration's results for its staff, and its answers exported (CSV/XLSX)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.requests import acting_user
from audit.services import audit_read
from core.exceptions import ApplicationError
from core.tabular import FORMATS, table_response
from reflections import selectors
from reflections.models import Administration
from reflections.views.staff import StaffMixin


def refused_message(minimum: int) -> str:
    return _("Too few people have answered this anonymous questionnaire: its answers are exported from %(n)d.") % {
        "n": minimum
    }


def results_page(request: HttpRequest, administration: Administration, *, error: str = "") -> HttpResponse:
    context = {
        "administration": administration,
        "questionnaire": administration.questionnaire,
        "results": selectors.administration_results(administration=administration),
        "formats": FORMATS,
        "delimiters": export_delimiter_choices(user=acting_user(request)),
        "error": error,
    }
    return render(request, "reflections/administration_results.html", context, status=400 if error else 200)


class ResultsView(StaffMixin, View):
    """Distributions as bars, free texts by objective, teams from the threshold up, the pre/post change."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        audit_read(action="reflection_results.view", target=self.object)
        return results_page(request, self.object)


class ResultsExportView(StaffMixin, View):
    """``?format=csv|xlsx`` and ``?delimiter=``: one row per response; refused (400, the results page with
    the reason) below an anonymous questionnaire's threshold."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            raise Http404
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get("delimiter"))
        except ApplicationError as error:
            return results_page(request, self.object, error=str(error.message or "; ".join(error.messages)))
        table = selectors.export_table(administration=self.object)
        if table is None:
            return results_page(request, self.object, error=refused_message(self.object.min_respondents))
        headers, rows = table
        audit_read(action="reflection_results.export", target=self.object, detail={"count": len(rows), "format": fmt})
        return table_response(
            filename=f"reflections-{self.object.pk}-answers", headers=headers, rows=rows, fmt=fmt, delimiter=delimiter
        )
