"""The console's inject buttons: release or skip a planned inject, write an ad-hoc one, switch auto-release.

The console view hands these POSTs here; each calls one service and shows its refusal as a message
(the ad-hoc form keeps its text and shows its errors instead).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from conduct import services
from conduct.forms import AdhocInjectForm
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun, Inject, RunTeam

ACTIONS = ("release", "skip", "adhoc", "auto_release")


def inject_post(request: HttpRequest, run: ExerciseRun, by: Any) -> AdhocInjectForm | None:
    """Do the POSTed inject action; answers the ad-hoc form when it must be shown again with its errors."""
    action = request.POST.get("action")
    try:
        if action == "adhoc":
            return _adhoc(request, run, by)
        if action == "auto_release":
            on = request.POST.get("on") == "1"
            services.run_auto_release_set(run=run, on=on, by=by)
            messages.success(
                request, _("Injects now release at their planned time.") if on else _("Automatic release is off.")
            )
            return None
        inject = Inject.objects.filter(exercise_id=run.exercise_id, pk=_int(request.POST.get("inject"))).first()
        if inject is None:
            messages.error(request, _("That inject is not one of this exercise's."))
        elif action == "release":
            teams = RunTeam.objects.filter(run=run, pk__in=[_int(v) for v in request.POST.getlist("teams")])
            release = services.inject_release(
                run=run, inject=inject, teams=teams, by=by, override_dependency=request.POST.get("override") == "1"
            )
            messages.success(request, _("“%(title)s” was released.") % {"title": release.title})
        elif action == "skip":
            services.inject_skip(run=run, inject=inject, by=by)
            messages.success(request, _("“%(title)s” was skipped.") % {"title": inject.title})
    except ApplicationError as error:
        for message in error.messages:
            messages.error(request, message)
    return None


def _adhoc(request: HttpRequest, run: ExerciseRun, by: Any) -> AdhocInjectForm | None:
    form = AdhocInjectForm(request.POST, run=run)
    if not form.is_valid():
        return form
    try:
        release = services.inject_adhoc(run=run, by=by, **form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error)
        return form
    messages.success(request, _("“%(title)s” was released.") % {"title": release.title})
    return None


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
