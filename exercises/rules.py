"""Who may see and change exercises, runs and teams."""

from typing import Any

import rules

from accounts.rules import is_coordinator
from trainings import access
from trainings.rules import facilitates_cohort, member_of_cohort


@rules.predicate
def can_see_exercise(user: Any, exercise: Any) -> bool:
    if exercise is None or not access.facilitated_cohort_ids(user):
        return False
    from exercises.models import Exercise

    return Exercise.objects.visible_to(user).filter(pk=exercise.pk).exists()


@rules.predicate
def facilitates_run_cohort(user: Any, obj: Any) -> bool:
    """For objects hanging off a run (teams, observations): does the user facilitate its cohort?"""
    if obj is None:
        return False
    run = getattr(obj, "run", None)
    return run is not None and run.cohort_id in access.facilitated_cohort_ids(user)


rules.add_perm("exercises.view_exercise", is_coordinator | can_see_exercise)
rules.add_perm("exercises.add_exercise", is_coordinator)
rules.add_perm("exercises.change_exercise", is_coordinator)
rules.add_perm("exercises.delete_exercise", is_coordinator)


@rules.predicate
def in_run_cell(user: Any, run: Any) -> bool:
    """A place in the run's simulation cell (a facilitator or a guest role-player: RunCellMember)."""
    if run is None or not user.is_authenticated or not user.is_active:
        return False
    from exercises.models import RunCellMember

    return RunCellMember.objects.filter(run=run, user=user).exists()


# Participants see a run in their schedule; only staff manage it. A place in its cell shows the run
# (and only it) to a guest role-player (ExerciseRunQuerySet.visible_to is the list side).
rules.add_perm("exercises.view_exerciserun", is_coordinator | facilitates_cohort | member_of_cohort | in_run_cell)
rules.add_perm("exercises.add_exerciserun", is_coordinator)
rules.add_perm("exercises.change_exerciserun", is_coordinator)
rules.add_perm("exercises.delete_exerciserun", is_coordinator)
rules.add_perm("exercises.facilitate_exerciserun", is_coordinator | facilitates_cohort)


@rules.predicate
def member_of_run_cohort(user: Any, obj: Any) -> bool:
    run = getattr(obj, "run", None) if obj is not None else None
    return run is not None and run.cohort_id in access.member_cohort_ids(user)


# Participants see which teams their runs have (they message each other); a team's briefing
# is guarded separately by exercises.view_team_briefing.
rules.add_perm("exercises.view_runteam", is_coordinator | facilitates_run_cohort | member_of_run_cohort)
rules.add_perm("exercises.change_runteam", is_coordinator | facilitates_run_cohort)


@rules.predicate
def facilitates_course(user: Any, course: Any) -> bool:
    """Does the user facilitate one of the course's cohorts?"""
    if course is None:
        return False
    cohorts = access.facilitated_cohort_ids(user)
    return bool(cohorts) and course.cohorts.filter(pk__in=cohorts).exists()


# Which objectives a course's exercises and injects address: staff material, not for participants.
rules.add_perm("exercises.view_course_coverage", is_coordinator | facilitates_course)

# On a run: propose, adjust and confirm its teams (exercises.selectors.teams). The same people as
# facilitate_exerciserun today, named apart so that it can narrow (e.g. to the lead facilitator).
rules.add_perm("exercises.form_teams", is_coordinator | facilitates_cohort)


@rules.predicate
def plays_in_team(user: Any, team: Any) -> bool:
    """A participant's own team in a run (its briefing is theirs to read)."""
    if team is None or not user.is_authenticated:
        return False
    return team.memberships.filter(enrolment__participant__user=user).exists()


@rules.predicate
def teams_confirmed(user: Any, team: Any) -> bool:
    """The team's run has confirmed teams (``TeamMembershipQuerySet.confirmed`` is the same rule for lists)."""
    return team is not None and team.run.teams_confirmed_at is not None


# A team's briefing: the exercise staff (who write it), and the people who play in that team once
# the teams are confirmed. exercises.selectors.team_membership_list_for_user lists the same.
rules.add_perm(
    "exercises.view_team_briefing",
    rules.is_authenticated & (is_coordinator | facilitates_run_cohort | (plays_in_team & teams_confirmed)),
)


# The cell room of a run (the object is the run): its cell members, and the exercise staff, who may
# play any cell role. Guests in the cell see that run only, and nothing of its cohort.
rules.add_perm("exercises.play_in_cell", rules.is_authenticated & (is_coordinator | facilitates_cohort | in_run_cell))

# Who is in a run's cell (the object is the run): add the cohort's facilitators, invite guests, change
# kinds and roles, remove. exercises.services.cells asks it too.
rules.add_perm("exercises.manage_cell", is_coordinator | facilitates_cohort)


@rules.predicate
def own_cell_place(user: Any, place: Any) -> bool:
    return place is not None and user.is_authenticated and place.user_id == user.pk


# A place in a cell: those who manage the run's cell see every place, anyone else their own
# (RunCellMemberQuerySet.visible_to is the list side). Changes go through exercises.manage_cell.
rules.add_perm("exercises.view_runcellmember", is_coordinator | facilitates_run_cohort | own_cell_place)
rules.add_perm("exercises.change_runcellmember", is_coordinator | facilitates_run_cohort)
rules.add_perm("exercises.delete_runcellmember", is_coordinator | facilitates_run_cohort)
