"""Who may see and write the facilitators' observations: the exercise staff, never participants."""

import rules

from accounts.rules import is_coordinator
from exercises.rules import facilitates_run_cohort
from trainings.rules import facilitates_cohort

rules.add_perm("conduct.view_observation", is_coordinator | facilitates_run_cohort)
rules.add_perm("conduct.add_observation", is_coordinator | facilitates_cohort)
