"""Writes for a run's teams: confirming who plays in which team."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.decorators import audited
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun, TeamMembership
from exercises.selectors.teams import team_assignment_errors, team_positions_fill, team_roster_load
from trainings.models import Cohort


@transaction.atomic
@audited("run.teams_confirm", target="run")
def team_assignment_confirm(*, run: ExerciseRun, assignments: Iterable[tuple[int, int]], by: Any) -> ExerciseRun:
    """Save the run's teams (replacing any earlier ones) and record who confirmed them, and when.

    ``assignments`` holds (enrolment id, team id) pairs covering every playing person exactly once.
    A mixed team's positions go to its members of their agency kind (``TeamMembership.position``).
    Nothing is saved when anything is wrong.
    """
    # Lock the cohort (as enrolment changes do) and then the run, so that nobody withdraws or the
    # run starts between the checks and the save.
    Cohort.objects.select_for_update().filter(pk=run.cohort_id).first()
    run = ExerciseRun.objects.select_for_update().select_related("cohort").get(pk=run.pk)
    pairs = list(assignments)
    roster = team_roster_load(run=run)
    errors = team_assignment_errors(roster=roster, assignments=pairs)
    if errors:
        raise ApplicationError(" ".join(errors.pop("non_field_errors", [])), field_errors=errors)
    enrolments = {e.pk: e for e in roster.enrolments}
    held: dict[int, int] = {}
    for team in roster.teams:
        members = [enrolments[enrolment_id] for enrolment_id, team_id in pairs if team_id == team.pk]
        held.update(team_positions_fill(team=team, members=members))
    TeamMembership.objects.filter(run=run).delete()
    TeamMembership.objects.bulk_create(
        [
            TeamMembership(run=run, team_id=team_id, enrolment_id=enrolment_id, position_id=held.get(enrolment_id))
            for enrolment_id, team_id in pairs
        ]
    )
    run.teams_confirmed_at = timezone.now()
    run.teams_confirmed_by = by
    run.save(update_fields=["teams_confirmed_at", "teams_confirmed_by", "updated_at"])
    return run
