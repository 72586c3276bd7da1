"""A run's simulation cell: who controls, role-plays and evaluates it (``exercises.manage_cell``)."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.views import ObjectPermissionMixin
from exercises import selectors, services
from exercises.forms.cells import CellGuestInviteForm, CellMemberForm, CellStaffAddForm
from exercises.models import ExerciseRun


class RunCellView(ObjectPermissionMixin, View):
    """GET lists the cell with a form per place; POST adds a facilitator, invites a guest, changes or
    removes a place (``action``). Coordinators and the cohort's facilitators; others who see the run 403."""

    template_name = "exercises/run_cell.html"
    permission_required = "exercises.manage_cell"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.exercise_run_queryset(user=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run, by, action = self.object, acting_user(request), request.POST.get("action", "")
        if action == "add":
            add = CellStaffAddForm(request.POST, run=run)
            if add.is_valid():
                try:
                    place = services.cell_member_add(run=run, by=by, **add.cleaned_data)
                except ApplicationError as error:
                    add_service_errors(add, error)
                else:
                    messages.success(request, _("%(person)s is in the cell.") % {"person": place.user})
                    return self._done()
            return self._render(request, add=add)
        if action == "invite":
            invite = CellGuestInviteForm(request.POST, run=run)
            if invite.is_valid():
                try:
                    place = services.cell_guest_invite(run=run, by=by, **invite.cleaned_data)
                except ApplicationError as error:
                    add_service_errors(invite, error)
                else:
                    messages.success(
                        request, _("%(person)s is invited: an e-mail is on its way.") % {"person": place.user.email}
                    )
                    return self._done()
            return self._render(request, invite=invite)
        member = self._member(request.POST.get("member", ""))
        if member is not None and action == "change":
            form = CellMemberForm(request.POST, run=run, member=member)
            if form.is_valid():
                try:
                    services.cell_member_update(member=member, by=by, **form.cleaned_data)
                except ApplicationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The place of %(person)s is changed.") % {"person": member.user})
                    return self._done()
            return self._render(request, changed=form)
        if member is not None and action == "remove":
            try:
                services.cell_member_remove(member=member, by=by)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(person)s is no longer in the cell.") % {"person": member.user})
            return self._done()
        messages.error(request, _("That place is not in this run's cell any more."))
        return self._done()

    def _member(self, value: str) -> Any:
        if not value.isascii() or not value.isdigit():
            return None
        return next((m for m in selectors.cell_member_list(run=self.object) if m.pk == int(value)), None)

    def _done(self) -> HttpResponse:
        return HttpResponseRedirect(reverse("exercises:run_cell", kwargs={"pk": self.object.pk}))

    def _render(
        self,
        request: HttpRequest,
        *,
        add: CellStaffAddForm | None = None,
        invite: CellGuestInviteForm | None = None,
        changed: CellMemberForm | None = None,
    ) -> HttpResponse:
        run = self.object
        roles = list(selectors.cell_role_list(run=run))
        rows = []
        for member in selectors.cell_member_list(run=run):
            shown = changed is not None and changed.member.pk == member.pk
            rows.append((member, changed if shown else CellMemberForm(run=run, member=member, roles=roles)))
        context = {
            "section": "cohorts",
            "run": run,
            "rows": rows,
            "add_form": add or CellStaffAddForm(run=run, roles=roles),
            "invite_form": invite or CellGuestInviteForm(run=run, roles=roles),
            "cell_room_url": selectors.cell_room_url(run=run),
            "has_roles": bool(roles),
        }
        return render(request, self.template_name, context)
