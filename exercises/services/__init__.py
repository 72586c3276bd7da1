"""Writes for exercises, one module per topic; import them from here.

- ``exercises``: create an exercise with its plan, change it, make a variant;
- ``plans``: the plan against the database (current rows, the models' field checks, writing it);
  the plan's own rules are ``exercises.plans`` (pure);
- ``runs``: plan a run for a cohort, move it between its sessions, place its phases over several;
- ``teams``: confirm a run's teams;
- ``courses``: a course's exercises in order;
- ``mel``: import a master events list (parsing is ``exercises.mel.parse``, pure).

Every service raises ``core.exceptions.ApplicationError`` when it refuses, and then saves nothing.
"""

from exercises.services.courses import course_exercises_set
from exercises.services.exercises import (
    EXERCISE_FIELDS,
    RESERVED_EXERCISE_SLUGS,
    exercise_create,
    exercise_duplicate,
    exercise_update,
)
from exercises.services.mel import exercise_mel_import
from exercises.services.plans import exercise_plan_errors, exercise_plan_of
from exercises.services.runs import (
    exercise_run_create,
    exercise_run_update,
    run_phases_follow_session,
    run_phases_place,
)
from exercises.services.teams import team_assignment_confirm

__all__ = [
    "EXERCISE_FIELDS",
    "RESERVED_EXERCISE_SLUGS",
    "course_exercises_set",
    "exercise_create",
    "exercise_duplicate",
    "exercise_mel_import",
    "exercise_plan_errors",
    "exercise_plan_of",
    "exercise_run_create",
    "exercise_run_update",
    "exercise_update",
    "run_phases_follow_session",
    "run_phases_place",
    "team_assignment_confirm",
]
