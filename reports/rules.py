"""Who may read the debrief reports: coordinators and the facilitators (and named coordinators) of the
run's cohort. Participants see their run but not its report (403); superusers pass every rule."""

import rules

from accounts.rules import is_coordinator
from trainings.rules import facilitates_cohort

# The object is the run (ExerciseRun) or, for the cohort report, the cohort.
rules.add_perm("reports.view_run_report", is_coordinator | facilitates_cohort)
rules.add_perm("reports.build_run_report", is_coordinator | facilitates_cohort)
rules.add_perm("reports.view_cohort_report", is_coordinator | facilitates_cohort)
rules.add_perm("reports.build_cohort_report", is_coordinator | facilitates_cohort)
