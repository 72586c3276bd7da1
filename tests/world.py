"""A small world with two cohorts, used by the permission walk and the rules/queryset agreement test.

Cohort A is "ours": the facilitator runs it and the participant is enrolled in it (team 1 of its run).
Cohort B belongs to another course, facilitated by another facilitator, with another participant.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct.models import Observation
from conduct.tests.factories import ObservationFactory
from exercises.models import Exercise, ExerciseRun, RunTeam
from exercises.tests.factories import (
    CourseExerciseFactory,
    ExerciseFactory,
    ExerciseRunFactory,
    InjectFactory,
    PhaseFactory,
    RunTeamFactory,
    TeamMembershipFactory,
    TeamRoleFactory,
)
from participants.models import Enrolment, Participant
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.models import Agency, Cohort, Course, LearningObjective, Session
from trainings.tests.factories import (
    AgencyFactory,
    CohortFactory,
    CourseFactory,
    LearningObjectiveFactory,
    SessionFactory,
)

ROLES = (
    "anonymous",
    "participant_other",
    "participant",
    "facilitator_other",
    "facilitator",
    "coordinator",
)


@dataclass
class World:
    users: dict[str, Any]  # role -> user (None for anonymous)
    agency: Agency
    objective: LearningObjective
    course: Course
    course_other: Course
    cohort: Cohort
    cohort_other: Cohort
    session: Session
    session_other: Session
    exercise: Exercise
    exercise_other: Exercise
    run: ExerciseRun
    run_other: ExerciseRun
    team: RunTeam  # the participant's team
    team_rival: RunTeam  # another team of the same run
    team_other: RunTeam
    participant: Participant
    participant_other: Participant
    enrolment: Enrolment
    enrolment_other: Enrolment
    observation: Observation
    observation_other: Observation

    def objects(self) -> list[Any]:
        return [
            self.cohort,
            self.cohort_other,
            self.session,
            self.session_other,
            self.course,
            self.course_other,
            self.exercise,
            self.exercise_other,
            self.run,
            self.run_other,
            self.team,
            self.team_rival,
            self.team_other,
            self.observation,
            self.observation_other,
            self.participant,
            self.participant_other,
            self.enrolment,
            self.enrolment_other,
        ]


def _exercise(name: str, objective: LearningObjective) -> Exercise:
    exercise = ExerciseFactory(name=name, planned_minutes=90)
    exercise.learning_objectives.add(objective)
    preparation = PhaseFactory(exercise=exercise, order=1, name="Preparation", planned_minutes=15)
    crisis = PhaseFactory(exercise=exercise, order=2, name="Crisis phase", planned_minutes=30)
    first = InjectFactory(exercise=exercise, number=1, title="Victims moved", phase=crisis, minute_offset=5)
    InjectFactory(
        exercise=exercise, number=2, title="Suspect escapes", phase=crisis, minute_offset=20, depends_on=first
    )
    InjectFactory(exercise=exercise, number=3, title="Transport problem", phase=preparation, minute_offset=0)
    return exercise


def build_world() -> World:
    coordinator = CoordinatorFactory(email="coordinator@world.test")
    facilitator = FacilitatorFactory(email="facilitator@world.test")
    facilitator_other = FacilitatorFactory(email="facilitator-other@world.test")
    agency = AgencyFactory(name="Border Guard", country="PL")
    objective = LearningObjectiveFactory(code="cooperation", title="Enhance international cooperation")

    course = CourseFactory(title="Inter-agency cooperation", slug="inter-agency")
    course.learning_objectives.add(objective)
    course_other = CourseFactory(title="Victim support", slug="victim-support")
    cohort = CohortFactory(course=course, slug="warsaw-2026", facilitators=[facilitator])
    cohort_other = CohortFactory(
        course=course_other, slug="sofia-2026", time_zone="Europe/Sofia", facilitators=[facilitator_other]
    )

    exercise = _exercise("Recognising victims", objective)
    CourseExerciseFactory(course=course, exercise=exercise)
    exercise_other = _exercise("Supporting victims", objective)
    CourseExerciseFactory(course=course_other, exercise=exercise_other)

    session = SessionFactory(cohort=cohort, title="Simulation")
    session_other = SessionFactory(cohort=cohort_other, title="Simulation (Sofia)")
    run = ExerciseRunFactory(exercise=exercise, cohort=cohort, session=session, lead_facilitator=facilitator)
    run_other = ExerciseRunFactory(exercise=exercise_other, cohort=cohort_other, session=session_other)

    team = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=exercise, briefing="OUR-TEAM-BRIEFING"))
    team_rival = RunTeamFactory(run=run, team_role=TeamRoleFactory(exercise=exercise, briefing="RIVAL-BRIEFING"))
    team_other = RunTeamFactory(
        run=run_other, team_role=TeamRoleFactory(exercise=exercise_other, briefing="OTHER-COHORT-BRIEFING")
    )

    participant = ParticipantFactory(user__email="participant@world.test", agency=agency)
    participant_other = ParticipantFactory(user__email="participant-other@world.test", agency=agency)
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    enrolment_other = EnrolmentFactory(cohort=cohort_other, participant=participant_other)
    TeamMembershipFactory(run=run, team=team, enrolment=enrolment)
    TeamMembershipFactory(run=run_other, team=team_other, enrolment=enrolment_other)
    # A team-mate of the rival team, so that "another team's briefing" exists in our run.
    rival = EnrolmentFactory(cohort=cohort)
    TeamMembershipFactory(run=run, team=team_rival, enrolment=rival)

    now = timezone.now()
    observation = ObservationFactory(run=run, author=facilitator, observed_at=now, team=team)
    observation_other = ObservationFactory(
        run=run_other, author=facilitator_other, observed_at=now - dt.timedelta(minutes=5)
    )

    return World(
        users={
            "anonymous": None,
            "participant_other": participant_other.user,
            "participant": participant.user,
            "facilitator_other": facilitator_other,
            "facilitator": facilitator,
            "coordinator": coordinator,
        },
        agency=agency,
        objective=objective,
        course=course,
        course_other=course_other,
        cohort=cohort,
        cohort_other=cohort_other,
        session=session,
        session_other=session_other,
        exercise=exercise,
        exercise_other=exercise_other,
        run=run,
        run_other=run_other,
        team=team,
        team_rival=team_rival,
        team_other=team_other,
        participant=participant,
        participant_other=participant_other,
        enrolment=enrolment,
        enrolment_other=enrolment_other,
        observation=observation,
        observation_other=observation_other,
    )
