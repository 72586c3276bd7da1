"""Who may see and change participants, enrolments, teams and answers."""

from typing import Any

import rules

from accounts.rules import is_coordinator
from exercises.rules import facilitates_run_cohort
from trainings import access
from trainings.rules import facilitates_cohort


@rules.predicate
def is_self(user: Any, participant: Any) -> bool:
    return participant is not None and participant.user_id == user.pk


@rules.predicate
def owns_enrolment(user: Any, enrolment: Any) -> bool:
    return enrolment is not None and enrolment.participant.user_id == user.pk


@rules.predicate
def facilitates_participant(user: Any, participant: Any) -> bool:
    if participant is None:
        return False
    facilitated = access.facilitated_cohort_ids(user)
    return bool(facilitated) and participant.enrolments.filter(cohort_id__in=facilitated).exists()


@rules.predicate
def plays_in_team(user: Any, team: Any) -> bool:
    """A participant's own team in a run (its briefing is theirs to read)."""
    if team is None or not user.is_authenticated:
        return False
    return team.memberships.filter(enrolment__participant__user=user).exists()


rules.add_perm("participants.view_participant", is_coordinator | is_self | facilitates_participant)
rules.add_perm("participants.add_participant", is_coordinator)
rules.add_perm("participants.change_participant", is_coordinator | is_self)
rules.add_perm("participants.delete_participant", is_coordinator)

rules.add_perm("participants.view_enrolment", is_coordinator | owns_enrolment | facilitates_cohort)
rules.add_perm("participants.add_enrolment", is_coordinator)
rules.add_perm("participants.change_enrolment", is_coordinator)
rules.add_perm("participants.delete_enrolment", is_coordinator)

# A team's briefing: the exercise staff, and the people who play in that team.
rules.add_perm(
    "participants.view_team_briefing",
    rules.is_authenticated & (is_coordinator | facilitates_run_cohort | plays_in_team),
)
# Every field of a profile (agency, country, names); participants change only their own
# position and preferred language (the API's PATCH on /participants/<id>/ asks this).
rules.add_perm("participants.manage_participant", is_coordinator)


# --- calendar feeds (participants/calendars.py) -------------------------------------------------


@rules.predicate
def owns_calendar_feed(user: Any, feed: Any) -> bool:
    return feed is not None and feed.user_id is not None and feed.user_id == user.pk


@rules.predicate
def is_cohort_calendar_feed(user: Any, feed: Any) -> bool:
    return feed is not None and feed.cohort_id is not None


@rules.predicate
def is_live_calendar_feed(user: Any, feed: Any) -> bool:
    return feed is not None and feed.revoked_at is None


# Everyone signed in keeps their own feed; coordinators keep every cohort's (the feed URL itself
# needs no sign-in: its token is the key). calendars.calendar_feed_visible_list mirrors the view rule.
_manages_calendar_feed = rules.is_authenticated & (owns_calendar_feed | (is_coordinator & is_cohort_calendar_feed))
rules.add_perm("participants.view_calendarfeed", is_live_calendar_feed & _manages_calendar_feed)
rules.add_perm("participants.add_calendarfeed", rules.is_authenticated & rules.is_active)
rules.add_perm("participants.change_calendarfeed", is_live_calendar_feed & _manages_calendar_feed)
# On a cohort: create, renew or revoke the cohort's feed.
rules.add_perm("participants.manage_cohort_calendar", is_coordinator)


# --- enrolment: roster imports, waiting list (participants/roster.py, services) -------------------

# Roster imports are the coordinators' (roster.roster_import_list mirrors the view rule).
rules.add_perm("participants.view_rosterimport", is_coordinator)
rules.add_perm("participants.add_rosterimport", is_coordinator)
rules.add_perm("participants.change_rosterimport", is_coordinator)
# On a cohort: enrol people, import a roster, move the waiting list up.
rules.add_perm("participants.manage_cohort_enrolment", is_coordinator)
