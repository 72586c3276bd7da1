"""Reads for the exercise pages and API, one module per topic; import them from here.

- ``exercises``: the catalogue, the facilitator guide and its plan warnings, courses' exercises;
- ``runs``: a run, its phase plan and teams, upcoming runs, a person's own (confirmed) teams;
- ``agenda``: a cohort's sessions day by day with the runs they hold, and its schedule export;
- ``cells``: a run's simulation cell, a person's own places in cells, the cell room's address;
- ``teams``: forming a run's teams (who plays, the assistant's proposal, what confirming would refuse);
- ``variants``: exercises in several languages: the variant a reader gets, a team's briefing from it.
"""

from exercises.selectors.agenda import (
    AgendaDay,
    AgendaEntry,
    ScheduleExportRow,
    cohort_schedule,
    cohort_schedule_export_rows,
    cohort_unscheduled_runs,
    runs_by_session,
    session_upcoming_list,
)
from exercises.selectors.cells import (
    cell_member_list,
    cell_member_queryset,
    cell_place_for,
    cell_place_list_for_user,
    cell_role_list,
    cell_room_url,
    cell_staff_candidates,
)
from exercises.selectors.exercises import (
    ExerciseGuide,
    GuideInject,
    GuidePhase,
    course_exercise_list,
    course_visible_exercise_ids,
    exercise_editor_counts,
    exercise_get,
    exercise_guide,
    exercise_guide_queryset,
    exercise_list,
    exercise_plan_warning_list,
    exercise_plan_warnings,
    objective_usage,
)
from exercises.selectors.runs import (
    exercise_run_parts,
    exercise_run_phase_plan,
    exercise_run_placements,
    exercise_run_queryset,
    exercise_run_team_list,
    exercise_run_upcoming_list,
    exercise_run_upcoming_visible_list,
    placements_prefetch,
    team_membership_list_for_user,
    team_names_for_user,
)
from exercises.selectors.teams import (
    PositionSeats,
    TeamGroup,
    TeamRoster,
    enrolment_country,
    team_assignment_errors,
    team_assignment_groups,
    team_assignment_propose,
    team_assignment_starting_point,
    team_formation_refusal,
    team_roster_load,
)
from exercises.selectors.variants import (
    TeamBriefing,
    exercise_language_variant,
    exercise_languages,
    team_briefing,
)

__all__ = [
    "AgendaDay",
    "AgendaEntry",
    "ExerciseGuide",
    "GuideInject",
    "GuidePhase",
    "PositionSeats",
    "ScheduleExportRow",
    "TeamBriefing",
    "TeamGroup",
    "TeamRoster",
    "cell_member_list",
    "cell_member_queryset",
    "cell_place_for",
    "cell_place_list_for_user",
    "cell_role_list",
    "cell_room_url",
    "cell_staff_candidates",
    "cohort_schedule",
    "cohort_schedule_export_rows",
    "cohort_unscheduled_runs",
    "course_exercise_list",
    "course_visible_exercise_ids",
    "enrolment_country",
    "exercise_editor_counts",
    "exercise_get",
    "exercise_guide",
    "exercise_guide_queryset",
    "exercise_language_variant",
    "exercise_languages",
    "exercise_list",
    "exercise_plan_warning_list",
    "exercise_plan_warnings",
    "exercise_run_parts",
    "exercise_run_phase_plan",
    "exercise_run_placements",
    "exercise_run_queryset",
    "exercise_run_team_list",
    "exercise_run_upcoming_list",
    "exercise_run_upcoming_visible_list",
    "objective_usage",
    "placements_prefetch",
    "runs_by_session",
    "session_upcoming_list",
    "team_assignment_errors",
    "team_assignment_groups",
    "team_assignment_propose",
    "team_assignment_starting_point",
    "team_briefing",
    "team_formation_refusal",
    "team_membership_list_for_user",
    "team_names_for_user",
    "team_roster_load",
]
