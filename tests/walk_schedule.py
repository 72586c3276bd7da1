"""Permission-walk expectations for planning the schedule: cohorts, the agenda, sessions and runs.

Only coordinators plan. A participant or facilitator of cohort A sees the cohort, so its planning
pages answer 403; people who cannot see cohort A at all get 404, as for the cohort itself.
"""

from collections.abc import Callable
from typing import Any

from tests.world import World

LOGIN = "redirect to login"

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
PLAN_A = (LOGIN, 404, 403, 404, 403, 200)

EXPECTED: dict[str, tuple[Any, ...]] = {
    "portal:cohort_create": PLAN_A,  # from course A, which A's people see
    "portal:cohort_update": PLAN_A,
    "portal:cohort_agenda": PLAN_A,
    "portal:session_create": PLAN_A,
    "portal:session_update": PLAN_A,
    "portal:session_cancel": PLAN_A,
    "exercises:run_create": PLAN_A,
    "exercises:run_update": PLAN_A,
    "exercises:run_plan": PLAN_A,
}

TARGETS: dict[str, Callable[[World], Any]] = {
    "portal:cohort_create": lambda w: w.course,
    "portal:cohort_update": lambda w: w.cohort,
    "portal:cohort_agenda": lambda w: w.cohort,
    "portal:session_create": lambda w: w.cohort,
    "portal:session_update": lambda w: w.session,
    "portal:session_cancel": lambda w: w.session,
    "exercises:run_create": lambda w: w.cohort,
    "exercises:run_update": lambda w: w.run,
    "exercises:run_plan": lambda w: w.run,
}

SKIPPED: dict[str, str] = {
    "api:session-cancel": "write action (POST), outside this read-only walk; see trainings/tests/test_schedule_api.py",
    "api:session-reinstate": "write action (POST), outside this walk; see trainings/tests/test_schedule_api.py",
    "portal:session_reinstate": "POST-only button on the agenda; see trainings/tests/test_schedule_views.py",
}
