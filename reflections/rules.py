"""Who may build questionnaires and give them to cohorts and runs (the querysets in
``reflections.querysets`` say the same for lists).

Coordinators may do everything. Facilitators build questionnaires (they change their own; templates
and colleagues' questionnaires they duplicate) and give them to the cohorts they facilitate and those
cohorts' runs. Participants see the administrations of their cohorts, to answer them.

Answering: the cohort's members (for a run's administration, the run cohort's members) answer; its staff
type in paper answers and follow the response rate. Nobody reaches another person's draft or answers:
those are always looked up by the person asking.
"""

from typing import Any

import rules

from accounts.roles import is_facilitator as has_facilitator_role
from accounts.rules import is_coordinator
from trainings import access
from trainings.rules import facilitates_cohort, member_of_cohort


@rules.predicate
def builds_questionnaires(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and has_facilitator_role(user))


@rules.predicate
def can_see_questionnaire(user: Any, questionnaire: Any) -> bool:
    if questionnaire is None or not builds_questionnaires(user):
        return False
    if questionnaire.is_template or questionnaire.created_by_id == user.pk:
        return True
    cohorts = access.facilitated_cohort_ids(user)
    return bool(cohorts) and questionnaire.administrations.filter(cohort_id__in=cohorts).exists()


@rules.predicate
def wrote_questionnaire(user: Any, questionnaire: Any) -> bool:
    return questionnaire is not None and user.is_authenticated and questionnaire.created_by_id == user.pk


rules.add_perm("reflections.view_questionnaire", is_coordinator | can_see_questionnaire)
rules.add_perm("reflections.add_questionnaire", is_coordinator | builds_questionnaires)
rules.add_perm("reflections.change_questionnaire", is_coordinator | (builds_questionnaires & wrote_questionnaire))
rules.add_perm("reflections.delete_questionnaire", is_coordinator | (builds_questionnaires & wrote_questionnaire))

# Administrations: the object is the administration, or (to give one) the cohort or the run.
rules.add_perm("reflections.view_administration", is_coordinator | facilitates_cohort | member_of_cohort)
rules.add_perm("reflections.add_administration", is_coordinator | builds_questionnaires)
rules.add_perm("reflections.change_administration", is_coordinator | facilitates_cohort)
rules.add_perm("reflections.delete_administration", is_coordinator | facilitates_cohort)
rules.add_perm("reflections.administer", is_coordinator | facilitates_cohort)


@rules.predicate
def has_participant_profile(user: Any) -> bool:
    return user.is_authenticated and hasattr(user, "participant")


# The object is an Administration (its cohort_id names the cohort).
rules.add_perm("reflections.answer_administration", member_of_cohort & has_participant_profile)
rules.add_perm("reflections.enter_paper_answers", is_coordinator | facilitates_cohort)
rules.add_perm("reflections.follow_administration", is_coordinator | facilitates_cohort)
