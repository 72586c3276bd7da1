import factory
from django.utils import timezone

from exercises.models import (
    CellRole,
    CourseExercise,
    Exercise,
    ExerciseRun,
    Inject,
    Phase,
    RunCellMember,
    RunTeam,
    TeamMembership,
    TeamPosition,
    TeamRole,
)
from participants.tests.factories import EnrolmentFactory
from trainings.models import AgencyKind
from trainings.tests.factories import CohortFactory, CourseFactory


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    planned_minutes = 90


class CourseExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseExercise

    course = factory.SubFactory(CourseFactory)
    exercise = factory.SubFactory(ExerciseFactory)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Phase {n}")
    planned_minutes = 15


class TeamRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamRole

    exercise = factory.SubFactory(ExerciseFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Role {n}")
    agency_kind = AgencyKind.POLICE
    briefing = factory.Sequence(lambda n: f"Secret briefing {n}")


class TeamPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamPosition

    team_role = factory.SubFactory(TeamRoleFactory, mixed=True, agency_kind="")
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Position {n}")
    agency_kind = AgencyKind.POLICE


class CellRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CellRole

    exercise = factory.SubFactory(ExerciseFactory)
    name = factory.Sequence(lambda n: f"Cell role {n}")


class InjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inject

    exercise = factory.SubFactory(ExerciseFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Inject {n}")
    body = "Something changed."


class ExerciseRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExerciseRun

    exercise = factory.SubFactory(ExerciseFactory)
    cohort = factory.SubFactory(CohortFactory)


class RunTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunTeam

    run = factory.SubFactory(ExerciseRunFactory)
    team_role = factory.LazyAttribute(lambda o: TeamRoleFactory(exercise=o.run.exercise))


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    """A place in a team as confirming the teams makes it: the run's teams count as confirmed
    (``confirmed=False`` leaves them unconfirmed, as the admin can)."""

    class Meta:
        model = TeamMembership
        skip_postgeneration_save = True

    team = factory.SubFactory(RunTeamFactory)
    run = factory.LazyAttribute(lambda o: o.team.run)
    enrolment = factory.SubFactory(EnrolmentFactory, cohort=factory.SelfAttribute("..run.cohort"))

    @factory.post_generation
    def confirmed(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        run = self.run
        if create and extracted is not False and run.teams_confirmed_at is None:
            run.teams_confirmed_at = timezone.now()
            ExerciseRun.objects.filter(pk=run.pk).update(teams_confirmed_at=run.teams_confirmed_at)


class RunCellMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunCellMember

    run = factory.SubFactory(ExerciseRunFactory)
    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    kind = RunCellMember.Kind.ROLE_PLAYER
