"""Spreadsheet exports of a cohort's schedule (CSV and XLSX) through ``core.tabular``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.exports import PARAMETER as DELIMITER_PARAMETER
from accounts.exports import export_delimiter
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.permissions import object_for
from core.tabular import FORMATS, table_response
from exercises.selectors import cohort_schedule_export_rows
from trainings.models import Cohort


def schedule_headers() -> list[str]:
    return [
        _("Start date"),
        _("Start time"),
        _("End date"),
        _("End time"),
        _("Time zone"),
        _("Title"),
        _("Room"),
        _("Video link"),
        _("Status"),
        _("Exercise"),
        _("Run status"),
        _("Planned phases"),
        _("Part of the run"),
    ]


@login_required
@require_safe
def cohort_schedule_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The cohort's sessions, one row each, for everyone who may see the cohort's agenda."""
    user = acting_user(request)
    cohort = object_for(user=user, queryset=Cohort.objects.visible_to(user), perm="trainings.view_cohort", slug=slug)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”: choose csv or xlsx.") % {"format": fmt}, content_type="text/plain"
        )
    try:
        delimiter = export_delimiter(user=user, requested=request.GET.get(DELIMITER_PARAMETER))
    except ApplicationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    rows = [
        [
            row.starts_at.date(),
            f"{row.starts_at:%H:%M}",
            row.ends_at.date(),
            f"{row.ends_at:%H:%M}",
            row.time_zone,
            row.title,
            row.room,
            row.video_link,
            row.status,
            row.exercise,
            row.run_status,
            row.phases,
            row.run_part,
        ]
        for row in cohort_schedule_export_rows(cohort=cohort)
    ]
    return table_response(
        filename=f"{cohort.slug}-schedule", headers=schedule_headers(), rows=rows, fmt=fmt, delimiter=delimiter
    )
