"""Who may see and change participants, enrolments, teams and answers."""

from typing import Any

import rules

from accounts.rules import is_coordinator
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


rules.add_perm("participants.view_participant", is_coordinator | is_self | facilitates_participant)
rules.add_perm("participants.add_participant", is_coordinator)
rules.add_perm("participants.change_participant", is_coordinator | is_self)
rules.add_perm("participants.delete_participant", is_coordinator)

rules.add_perm("participants.view_enrolment", is_coordinator | owns_enrolment | facilitates_cohort)
rules.add_perm("participants.add_enrolment", is_coordinator)
rules.add_perm("participants.change_enrolment", is_coordinator)
rules.add_perm("participants.delete_enrolment", is_coordinator)

# Every field of a profile (agency, country, names); participants change only their own
# position and preferred language (the API's PATCH on /participants/<id>/ asks this).
rules.add_perm("participants.manage_participant", is_coordinator)


# --- enrolment: roster imports, waiting list (participants.services) -------------------

# Roster imports are the coordinators' (selectors.roster_import_list mirrors the view rule).
rules.add_perm("participants.view_rosterimport", is_coordinator)
rules.add_perm("participants.add_rosterimport", is_coordinator)
rules.add_perm("participants.change_rosterimport", is_coordinator)
# On a cohort: enrol people, import a roster, move the waiting list up.
rules.add_perm("participants.manage_cohort_enrolment", is_coordinator)
