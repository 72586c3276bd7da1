"""Who may see and write the facilitators' observations: the exercise staff, never participants."""

from typing import Any

import rules
from django.db.models import Q

from accounts.rules import is_coordinator
from exercises.rules import facilitates_run_cohort, plays_in_team, teams_confirmed
from trainings.rules import facilitates_cohort

rules.add_perm("conduct.view_observation", is_coordinator | facilitates_run_cohort)
rules.add_perm("conduct.add_observation", is_coordinator | facilitates_cohort)  # the object is the run


@rules.predicate
def wrote_observation(user: Any, observation: Any) -> bool:
    return observation is not None and user.is_authenticated and observation.author_id == user.pk


# Authors change their own notes only, while they are still on the run's staff; others may read them.
rules.add_perm("conduct.change_observation", wrote_observation & (is_coordinator | facilitates_run_cohort))

# The phase clock of a run (conduct.services.clock): coordinators and the run cohort's facilitators.
# The object is the run itself, so the cohort test is trainings' (exercises.facilitate_exerciserun's).
rules.add_perm("conduct.run_clock", is_coordinator | facilitates_cohort)

# A run's injects (conduct.services.injects): release, skip, write ad-hoc ones, switch auto-release.
# The object is the run; the releases themselves are read by the same staff (never by participants,
# who see what was delivered to their team in their room).
rules.add_perm("conduct.release_inject", is_coordinator | facilitates_cohort)
rules.add_perm("conduct.view_injectrelease", is_coordinator | facilitates_run_cohort)

# The debrief of a run: its timeline, its summary and its hot-wash board, read and (the board) written by
# coordinators and the run cohort's facilitators. The object is the run.
rules.add_perm("conduct.debrief_run", is_coordinator | facilitates_cohort)


@rules.predicate
def wrote_hotwash_item(user: Any, item: Any) -> bool:
    return item is not None and user.is_authenticated and item.author_id == user.pk


rules.add_perm("conduct.view_hotwashitem", is_coordinator | facilitates_run_cohort)
# Authors change and remove their own points, while they are still on the run's staff.
rules.add_perm("conduct.change_hotwashitem", wrote_hotwash_item & (is_coordinator | facilitates_run_cohort))
rules.add_perm("conduct.delete_hotwashitem", wrote_hotwash_item & (is_coordinator | facilitates_run_cohort))


# --- the team rooms and the cell room ------------------------------------------------------------------


@rules.predicate
def plays_in_confirmed_team(user: Any, team: Any) -> bool:
    """A member of ``team`` once its run's teams are confirmed (the hardening rule for rooms)."""
    return team is not None and user.is_authenticated and teams_confirmed(user, team) and plays_in_team(user, team)


# A team's room: its members once the teams are confirmed, and the exercise staff (who watch and act as
# exercise control; their reads do not count as the team's). The object is the RunTeam.
rules.add_perm(
    "conduct.view_team_room",
    rules.is_authenticated & (is_coordinator | facilitates_run_cohort | plays_in_confirmed_team),
)
# Acting as the team (acknowledging an inject, sending as the team, first reads): its members only.
rules.add_perm("conduct.play_in_team", plays_in_confirmed_team)


@rules.predicate
def delivery_staff(user: Any, delivery: Any) -> bool:
    return delivery is not None and facilitates_run_cohort(user, delivery.team)


@rules.predicate
def delivery_member(user: Any, delivery: Any) -> bool:
    return delivery is not None and plays_in_confirmed_team(user, delivery.team)


# A released inject as one team received it: that team's members and the exercise staff see it; only
# the members acknowledge it.
rules.add_perm(
    "conduct.view_injectdelivery", rules.is_authenticated & (is_coordinator | delivery_staff | delivery_member)
)
rules.add_perm("conduct.acknowledge_injectdelivery", delivery_member)


@rules.predicate
def party_to_message(user: Any, message: Any) -> bool:
    """Sent by or to the user's confirmed team, or by or to a cell role the user plays in the message's run."""
    if message is None or not user.is_authenticated:
        return False
    from conduct.selectors.rooms import message_sides

    teams, cell_roles = message_sides(user=user, run_id=message.run_id)
    if message.sender_team_id in teams or message.sender_cell_role_id in cell_roles:
        return True
    return message.recipients.filter(Q(team_id__in=teams) | Q(cell_role_id__in=cell_roles)).exists()


rules.add_perm(
    "conduct.view_message", rules.is_authenticated & (is_coordinator | facilitates_run_cohort | party_to_message)
)
