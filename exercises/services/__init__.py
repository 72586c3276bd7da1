"""Writes for exercises, one module per topic; import them from here.

- ``exercises``: create an exercise with its plan, change it, make a variant;
- ``plans``: the plan against the database (current rows, the models' field checks, writing it);
  the plan's own rules are ``exercises.plans`` (pure);
- ``runs``: plan a run for a cohort, move it between its sessions, place its phases over several;
- ``teams``: confirm a run's teams;
- ``cells``: who is in a run's simulation cell (the cohort's staff, guests invited by e-mail);
- ``courses``: a course's exercises in order;
- ``mel``: import a master events list (parsing is ``exercises.mel.parse``, pure).

Every service raises ``core.exceptions.ApplicationError`` when it refuses, and then saves nothing.
"""

from exercises.services.cells import cell_guest_invite, cell_member_add, cell_member_remove, cell_member_update
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
    run_live_bump,
    run_phases_follow_session,
    run_phases_place,
)
from exercises.services.teams import team_assignment_confirm

__all__ = [
    "EXERCISE_FIELDS",
    "RESERVED_EXERCISE_SLUGS",
    "cell_guest_invite",
    "cell_member_add",
    "cell_member_remove",
    "cell_member_update",
    "course_exercises_set",
    "exercise_create",
    "exercise_duplicate",
    "exercise_mel_import",
    "exercise_plan_errors",
    "exercise_plan_of",
    "exercise_run_create",
    "exercise_run_update",
    "exercise_update",
    "run_live_bump",
    "run_phases_follow_session",
    "run_phases_place",
    "team_assignment_confirm",
]
