"""Who may see and write the facilitators' observations: the exercise staff, never participants."""

from typing import Any

import rules

from accounts.rules import is_coordinator
from exercises.rules import facilitates_run_cohort
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
