"""Who may read the debrief reports, and see and change improvement actions and the programme view.

Reports: coordinators and the facilitators (and named coordinators) of the run's cohort. Participants
see their run but not its report (403); superusers pass every rule.

Actions: the cohort's staff (coordinators, and the facilitators and named coordinators of the action's cohort)
manage its actions; an action's contact (an agency contact with an account) sees it and updates its
status and note only. Participants otherwise see none.
"""

from typing import Any

import rules

from accounts.rules import is_coordinator, is_facilitator
from trainings.rules import facilitates_cohort

is_active = rules.is_authenticated & rules.is_active


@rules.predicate
def is_action_contact(user: Any, action: Any) -> bool:
    return action is not None and user is not None and user.pk is not None and action.contact_id == user.pk


manages_actions = is_active & (is_coordinator | facilitates_cohort)

rules.add_perm("reports.view_improvementaction", manages_actions | (is_active & is_action_contact))
rules.add_perm("reports.add_improvementaction", is_active & (is_coordinator | is_facilitator))
rules.add_perm("reports.change_improvementaction", manages_actions)
rules.add_perm("reports.delete_improvementaction", manages_actions)
# The status and its note: the staff and the action's contact.
rules.add_perm("reports.update_improvementaction_status", manages_actions | (is_active & is_action_contact))
# A run's (or a cohort's) improvement plan: drafting and adding actions (object: the run or the cohort).
rules.add_perm("reports.plan_improvements", manages_actions)
# The programme view across cohorts: coordinators (superusers are coordinators).
rules.add_perm("reports.view_programme", is_active & is_coordinator)

# The object is the run (ExerciseRun) or, for the cohort report, the cohort.
rules.add_perm("reports.view_run_report", is_coordinator | facilitates_cohort)
rules.add_perm("reports.build_run_report", is_coordinator | facilitates_cohort)
rules.add_perm("reports.view_cohort_report", is_coordinator | facilitates_cohort)
rules.add_perm("reports.build_cohort_report", is_coordinator | facilitates_cohort)
