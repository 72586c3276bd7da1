"""Forming a run's teams: the assistant's proposal, moves by hand, and the confirmation."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.views import ObjectPermissionMixin
from exercises import selectors, services
from exercises.assistant import STRATEGY_HELP, Strategy
from exercises.forms.teams import TeamAssignmentForm, TeamProposalForm
from exercises.models import ExerciseRun


class TeamAssignmentView(ObjectPermissionMixin, View):
    """GET shows a proposal (or the confirmed teams) with a select per person; POST previews or confirms.

    Coordinators and the cohort's facilitators only (``exercises.form_teams``): the run's participants
    get 403, everyone else 404.
    """

    template_name = "exercises/team_assignment.html"
    permission_required = "exercises.form_teams"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return selectors.exercise_run_queryset(user=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.object
        roster = selectors.team_roster_load(run=run)
        proposal_form = TeamProposalForm(request.GET if "strategy" in request.GET else None)
        newcomers: list[Any] = []
        proposed_by = None
        if selectors.team_formation_refusal(run=run) or not roster.teams:
            # A run that cannot be re-teamed shows its confirmed teams, read only.
            assignment = dict(roster.current)
        elif proposal_form.is_bound and proposal_form.is_valid():
            proposed_by = Strategy(proposal_form.cleaned_data["strategy"])
            assignment = selectors.team_assignment_propose(
                roster=roster, strategy=proposed_by, seed=proposal_form.cleaned_data["seed"]
            )
        else:
            # The confirmed teams (with newcomers placed), or at first the realistic proposal.
            assignment, newcomers = selectors.team_assignment_starting_point(roster=roster)
            if not roster.current:
                proposed_by = Strategy.REALISTIC
        form = TeamAssignmentForm(enrolments=roster.enrolments, teams=roster.teams, initial=_initial(assignment))
        return self._render(
            request, roster, form, proposal_form=proposal_form, proposed_by=proposed_by, newcomers=newcomers
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.object
        roster = selectors.team_roster_load(run=run)
        form = TeamAssignmentForm(request.POST, enrolments=roster.enrolments, teams=roster.teams)
        if form.is_valid():
            if "confirm" in request.POST:
                try:
                    services.team_assignment_confirm(run=run, assignments=form.assignments(), by=acting_user(request))
                except ApplicationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The teams are confirmed. Each person now sees their team's briefing."))
                    return HttpResponseRedirect(run.get_absolute_url())
            else:
                # "Update the preview": regroup as chosen and say now what confirming would refuse.
                errors = selectors.team_assignment_errors(roster=roster, assignments=form.assignments())
                for field_messages in errors.values():
                    for message in field_messages:
                        form.add_error(None, message)
        return self._render(request, roster, form, proposal_form=TeamProposalForm(), preview=True)

    def _render(
        self,
        request: HttpRequest,
        roster: selectors.TeamRoster,
        form: TeamAssignmentForm,
        *,
        proposal_form: TeamProposalForm,
        proposed_by: Any = None,
        newcomers: list[Any] | None = None,
        preview: bool = False,
    ) -> HttpResponse:
        groups = selectors.team_assignment_groups(roster=roster, assignment=form.shown())
        # Each person with their select and their country (their own, else their agency's, if any).
        rows = {e.pk: (e, form[form.team_key(e.pk)], selectors.enrolment_country(e)) for e in roster.enrolments}
        context = {
            "section": "cohorts",
            "run": roster.run,
            "roster": roster,
            "form": form,
            "proposal_form": proposal_form,
            "proposed_by": proposed_by,
            "strategies": [(s.value, s.label, STRATEGY_HELP[s]) for s in Strategy],
            "chosen_strategy": proposal_form["strategy"].value() or proposed_by or Strategy.REALISTIC,
            "newcomers": newcomers or [],
            "preview": preview,
            "refusal": selectors.team_formation_refusal(run=roster.run),
            "groups": [(group, [rows[e.pk] for e in group.members]) for group in groups],
            # People whose posted team is not one of the run's (a stale or tampered form).
            "unplaced": [rows[pk] for pk in rows.keys() - {e.pk for g in groups for e in g.members}],
        }
        return render(request, self.template_name, context)


def _initial(assignment: dict[int, int]) -> dict[str, str]:
    return {TeamAssignmentForm.team_key(pk): str(team_id) for pk, team_id in assignment.items()}
