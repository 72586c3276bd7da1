"""Who may answer a questionnaire, type in paper answers and remind people (issue #9).

An administration belongs to its cohort: coordinators and the cohort's facilitators run it; the
cohort's members (for a run's administration, the run cohort's members) answer it. Nobody reaches
another person's draft or answers: those are always looked up by the person asking.
"""

from typing import Any

import rules

from accounts.rules import is_coordinator
from trainings.rules import facilitates_cohort, member_of_cohort


@rules.predicate
def has_participant_profile(user: Any) -> bool:
    return user.is_authenticated and hasattr(user, "participant")


# The object is an Administration (its cohort_id names the cohort).
rules.add_perm("reflections.answer_administration", member_of_cohort & has_participant_profile)
rules.add_perm("reflections.enter_paper_answers", is_coordinator | facilitates_cohort)
rules.add_perm("reflections.follow_administration", is_coordinator | facilitates_cohort)
