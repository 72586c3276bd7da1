"""Permission-walk expectations for the catalogue: objectives, courses, exercise authoring, the master
events list and course coverage.

Writes are for coordinators. The objective catalogue is readable by everyone signed in, so its edit
pages answer 403 to others; course A is visible to its participant and facilitator (403 for them),
invisible to cohort B's people (404). Exercise A's guide is for its facilitator: they may export its
master events list and read the coverage of course A, but not change either (403).
"""

from collections.abc import Callable
from typing import Any

from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
COORDINATORS_ONLY = (LOGIN, 403, 403, 403, 403, 200)
CHANGE_COURSE_A = (LOGIN, 404, 403, 404, 403, 200)
CHANGE_EXERCISE_A = (LOGIN, 404, 404, 404, 403, 200)
STAFF_OF_A = (LOGIN, 404, 404, 404, 200, 200)
COVERAGE_OF_A = (LOGIN, 404, 403, 404, 200, 200)

EXPECTED: dict[str, tuple[Any, ...]] = {
    "trainings:objective_create": COORDINATORS_ONLY,
    "trainings:objective_update": COORDINATORS_ONLY,
    "portal:objective_retire": COORDINATORS_ONLY,  # GET asks to confirm; POST retires
    "trainings:course_create": COORDINATORS_ONLY,
    "trainings:course_update": CHANGE_COURSE_A,
    "exercises:exercise_create": COORDINATORS_ONLY,
    "exercises:exercise_import": COORDINATORS_ONLY,
    "exercises:exercise_update": CHANGE_EXERCISE_A,
    "exercises:exercise_edit_phases": CHANGE_EXERCISE_A,
    "exercises:exercise_edit_teams": CHANGE_EXERCISE_A,
    "exercises:exercise_edit_cell_roles": CHANGE_EXERCISE_A,
    "exercises:exercise_edit_injects": CHANGE_EXERCISE_A,
    # Making a variant needs the right to add exercises: A's facilitator sees A but may not.
    "exercises:exercise_duplicate": CHANGE_EXERCISE_A,
    "exercises:exercise_plan_import": CHANGE_EXERCISE_A,
    "exercises:exercise_export": STAFF_OF_A,
    "exercises:course_exercises": CHANGE_COURSE_A,
    "exercises:course_coverage": COVERAGE_OF_A,
    "api:exercise-export": (REFUSED, 404, 404, 404, 200, 200),
    "api:courseplan-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:courseplan-detail": (REFUSED, 404, 200, 404, 200, 200),
    "api:courseplan-coverage": (REFUSED, 404, 403, 404, 200, 200),
}

TARGETS: dict[str, Callable[[World], Any]] = {
    "trainings:objective_update": lambda w: w.objective,
    "portal:objective_retire": lambda w: w.objective,
    "trainings:course_update": lambda w: w.course,
    "exercises:exercise_update": lambda w: w.exercise,
    "exercises:exercise_edit_phases": lambda w: w.exercise,
    "exercises:exercise_edit_teams": lambda w: w.exercise,
    "exercises:exercise_edit_cell_roles": lambda w: w.exercise,
    "exercises:exercise_edit_injects": lambda w: w.exercise,
    "exercises:exercise_duplicate": lambda w: w.exercise,
    "exercises:exercise_plan_import": lambda w: w.exercise,
    "exercises:exercise_export": lambda w: w.exercise,
    "exercises:course_exercises": lambda w: w.course,
    "exercises:course_coverage": lambda w: w.course,
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "courseplan": lambda w: w.course,
}

SKIPPED: dict[str, str] = {
    "api:exercise-duplicate": "write action (POST), outside this read-only walk; see test_authoring_api.py",
    "api:exercise-import-new": "write action (POST), outside this read-only walk; see exercises/tests/mel/",
    "api:exercise-import-plan": "write action (POST), outside this read-only walk; see exercises/tests/mel/",
}
