"""An administration's results for its staff, and its answers exported (CSV/XLSX)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.tabular import FORMATS, table_response
from reflections import selectors
from reflections.views.staff import StaffMixin


def refused_message(minimum: int) -> str:
    return _("Too few people have answered this anonymous questionnaire: its answers are exported from %(n)d.") % {
        "n": minimum
    }


class ResultsView(StaffMixin, View):
    """Distributions as bars, free texts by objective, teams from the threshold up, the pre/post change."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = {
            "administration": self.object,
            "questionnaire": self.object.questionnaire,
            "results": selectors.administration_results(administration=self.object),
            "formats": FORMATS,
            "delimiters": export_delimiter_choices(user=acting_user(request)),
        }
        return render(request, "reflections/administration_results.html", context)


class ResultsExportView(StaffMixin, View):
    """``?format=csv|xlsx`` and ``?delimiter=``: one row per response, refused below the threshold."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            raise Http404
        back = HttpResponseRedirect(reverse("reflections:administration_results", kwargs={"pk": self.object.pk}))
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get("delimiter"))
        except ApplicationError as error:
            messages.error(request, error.message or "; ".join(error.messages))
            return back
        table = selectors.export_table(administration=self.object)
        if table is None:
            messages.error(request, refused_message(self.object.min_respondents))
            return back
        headers, rows = table
        return table_response(
            filename=f"reflections-{self.object.pk}-answers", headers=headers, rows=rows, fmt=fmt, delimiter=delimiter
        )
