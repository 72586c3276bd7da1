"""Exercise authoring services: the plan is validated whole and saved whole, or nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from exercises import services
from exercises.models import CourseExercise, Exercise, Handout, Inject, Phase, RunPhase, RunTeam, TeamRole
from exercises.plans import TeamRoleInput
from exercises.tests.factories import CourseExerciseFactory, ExerciseFactory, ExerciseRunFactory, RunTeamFactory
from exercises.tests.plan_examples import example_plan as _plan
from trainings.models import AgencyKind
from trainings.tests.factories import CourseFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _errors(excinfo: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def _counts() -> tuple[int, int, int, int]:
    return Exercise.objects.count(), Phase.objects.count(), TeamRole.objects.count(), Inject.objects.count()


def test_create_saves_the_exercise_and_its_whole_plan():
    objective = LearningObjectiveFactory(code="identify")
    plan = _plan()
    plan.injects[0].learning_objectives = [objective]
    exercise = services.exercise_create(
        name="Recognising victims", planned_minutes=45, country="pl", learning_objectives=[objective], plan=plan
    )
    assert exercise.slug == "recognising-victims"
    assert exercise.country == "PL"
    assert list(exercise.learning_objectives.all()) == [objective]
    assert [(p.order, p.name, p.kind, p.planned_minutes) for p in exercise.phases.all()] == [
        (1, "Preparation", "preparation", 15),
        (2, "Crisis", "crisis", 30),
    ]
    assert [(r.number, r.name, r.briefing) for r in exercise.team_roles.all()] == [(1, "Police", "B1"), (2, "NGO", "")]
    first, second, third = exercise.injects.order_by("number")
    assert first.phase.name == "Crisis"
    assert first.minute_offset == 5
    assert [r.number for r in first.target_roles.all()] == [1]
    assert list(first.learning_objectives.all()) == [objective]
    assert sorted(r.number for r in second.target_roles.all()) == [1, 2]
    assert second.kind == "logistical"
    assert third.depends_on == first


def test_a_refused_create_saves_nothing_and_lists_every_problem():
    plan = _plan()
    plan.phases[1].order = 3  # a gap
    plan.injects[1].minute_offset = 15  # the preparation phase has minutes 0 to 14
    plan.injects[0].target_teams = [1, 7]
    plan.injects[2].depends_on = 9
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_create(name="Broken", planned_minutes=0, plan=plan)
    errors = _errors(excinfo)
    assert _counts() == before
    assert errors["planned_minutes"] == ["The planned duration must be at least one minute."]
    assert errors["phases"] == ["Phases must be numbered 1 to 2 without gaps; missing: 2."]
    assert errors["injects[1].minute_offset"] == [
        "The offset must fall inside the phase “Preparation”: 0 to 14 minutes."
    ]
    assert errors["injects[0].target_teams"] == ["There is no team number 7."]
    assert errors["injects[2].depends_on"] == ["There is no inject number 9."]
    # Inject 1 refers to phase 2, which is now numbered 3: that reference is wrong too.
    assert errors["injects[0].phase"] == ["There is no phase number 2."]


def test_retired_objectives_cannot_be_linked_anew_but_stay_where_they_are():
    retired = LearningObjectiveFactory(code="old", is_active=False)
    plan = _plan()
    plan.injects[0].learning_objectives = [retired]
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_create(name="New", planned_minutes=45, learning_objectives=[retired], plan=plan)
    errors = _errors(excinfo)
    assert errors["learning_objectives"] == ["Retired objectives cannot be added: old."]
    assert errors["injects[0].learning_objectives"] == ["Retired objectives cannot be added: old."]

    # An exercise that had it before it was retired keeps it through an edit.
    exercise = services.exercise_create(name="Old", planned_minutes=45, plan=_plan())
    retired.is_active = True
    retired.save()
    exercise.learning_objectives.add(retired)
    first = exercise.injects.get(number=1)
    first.learning_objectives.add(retired)
    retired.is_active = False
    retired.save()
    plan = services.exercise_plan_of(exercise=exercise)
    services.exercise_update(exercise=exercise, data={"learning_objectives": [retired]}, plan=plan)
    assert list(exercise.learning_objectives.all()) == [retired]
    assert list(first.learning_objectives.all()) == [retired]
    # ...but another inject of the same exercise cannot take it up.
    plan = services.exercise_plan_of(exercise=exercise)
    plan.injects[1].learning_objectives = [retired]
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_update(exercise=exercise, data={}, plan=plan)
    assert "injects[1].learning_objectives" in _errors(excinfo)


def test_update_swaps_numbers_keeps_identities_and_removes_what_is_left_out():
    exercise = services.exercise_create(name="Swap", planned_minutes=45, plan=_plan())
    prep, crisis = exercise.phases.order_by("order")
    police, ngo = exercise.team_roles.order_by("number")
    first, second, third = exercise.injects.order_by("number")
    plan = services.exercise_plan_of(exercise=exercise)
    plan.phases[0].order, plan.phases[1].order = 2, 1  # crisis first now
    plan.team_roles[0].number, plan.team_roles[1].number = 2, 1
    # Injects refer by the new numbers: inject 1 stays in the crisis phase (now 1), targets police (now 2).
    plan.injects[0].phase, plan.injects[0].target_teams = 1, [2]
    plan.injects[1].phase, plan.injects[1].target_teams = 2, [1, 2]
    plan.injects = plan.injects[:2]  # inject 3 goes
    services.exercise_update(exercise=exercise, data={"name": "Swapped"}, plan=plan)

    exercise.refresh_from_db()
    assert exercise.name == "Swapped"
    assert [(p.pk, p.order) for p in exercise.phases.order_by("order")] == [(crisis.pk, 1), (prep.pk, 2)]
    assert [(r.pk, r.number) for r in exercise.team_roles.order_by("number")] == [(ngo.pk, 1), (police.pk, 2)]
    assert list(exercise.injects.order_by("number").values_list("pk", flat=True)) == [first.pk, second.pk]
    first.refresh_from_db()
    assert first.phase_id == crisis.pk
    assert list(first.target_roles.all()) == [police]
    assert not Inject.objects.filter(pk=third.pk).exists()


def test_rows_a_run_depends_on_cannot_be_removed():
    exercise = services.exercise_create(name="Run", planned_minutes=45, plan=_plan())
    run = ExerciseRunFactory(exercise=exercise)
    police = exercise.team_roles.get(number=1)
    crisis = exercise.phases.get(order=2)
    RunTeamFactory(run=run, team_role=police)
    RunPhase.objects.create(run=run, phase=crisis)
    plan = services.exercise_plan_of(exercise=exercise)
    plan.team_roles = plan.team_roles[1:]
    plan.team_roles[0].number = 1
    plan.phases = plan.phases[:1]
    for inject in plan.injects:
        inject.phase, inject.target_teams, inject.minute_offset = 1, [], 0
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_update(exercise=exercise, data={}, plan=plan)
    errors = _errors(excinfo)
    assert errors["team_roles"] == ["Team 1: Police plays in a run and cannot be removed."]
    assert errors["phases"] == ["The phase “Crisis” has recorded times in a run and cannot be removed."]
    assert exercise.team_roles.count() == 2
    assert exercise.phases.count() == 2


def test_a_new_team_role_joins_runs_still_being_planned():
    exercise = services.exercise_create(name="Grow", planned_minutes=45, plan=_plan())
    planned = services.exercise_run_create(exercise=exercise, cohort=ExerciseRunFactory().cohort)
    finished = ExerciseRunFactory(exercise=exercise, status="finished")
    plan = services.exercise_plan_of(exercise=exercise)
    plan.team_roles.append(TeamRoleInput(number=3, name="Labour inspection", agency_kind=AgencyKind.LABOUR_INSPECTION))
    services.exercise_update(exercise=exercise, data={}, plan=plan)
    assert sorted(planned.teams.values_list("team_role__number", flat=True)) == [1, 2, 3]
    assert not finished.teams.exists()


def test_reserved_and_taken_slugs():
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_create(name="Import", planned_minutes=30, slug="import")
    assert "slug" in _errors(excinfo)
    made = services.exercise_create(name="New", planned_minutes=30)
    assert made.slug not in services.RESERVED_EXERCISE_SLUGS
    ExerciseFactory(slug="taken")
    with pytest.raises(ValidationError) as excinfo:
        services.exercise_create(name="Taken", planned_minutes=30, slug="taken")
    assert "slug" in _errors(excinfo)


def test_duplicate_copies_everything_and_remaps_every_link():
    objective = LearningObjectiveFactory(code="cooperate")
    retired = LearningObjectiveFactory(code="retired-one")
    plan = _plan()
    plan.injects[0].learning_objectives = [objective, retired]
    source = services.exercise_create(
        name="Recognising victims",
        planned_minutes=45,
        aim="Aim",
        tips="Tips",
        country="DE",
        learning_objectives=[objective],
        plan=plan,
    )
    Handout.objects.create(exercise=source, title="Role card", description="One per team", order=2)
    retired.is_active = False
    retired.save()

    variant = services.exercise_duplicate(exercise=source, country="pl")

    assert variant.pk != source.pk
    assert variant.variant_of == source
    assert variant.country == "PL"
    assert variant.name == "Recognising victims (PL)"
    assert variant.slug != source.slug
    assert (variant.aim, variant.tips, variant.planned_minutes) == ("Aim", "Tips", 45)
    assert list(variant.learning_objectives.all()) == [objective]
    assert list(variant.handouts.values_list("title", "description", "order")) == [("Role card", "One per team", 2)]

    def shape(exercise):
        return {
            "phases": list(exercise.phases.values_list("order", "name", "kind", "planned_minutes", "instructions")),
            "roles": list(exercise.team_roles.values_list("number", "name", "agency_kind", "briefing", "tasks")),
            "injects": [
                (
                    i.number,
                    i.title,
                    i.body,
                    i.kind,
                    i.channel,
                    i.phase.order if i.phase else None,
                    i.minute_offset,
                    sorted(r.number for r in i.target_roles.all()),
                    sorted(o.code for o in i.learning_objectives.all()),
                    i.depends_on.number if i.depends_on else None,
                )
                for i in exercise.injects.order_by("number")
            ],
        }

    assert shape(variant) == shape(source)
    # Every link points inside the variant, none back to the source.
    for inject in variant.injects.all():
        assert inject.phase is None or inject.phase.exercise_id == variant.pk
        assert all(role.exercise_id == variant.pk for role in inject.target_roles.all())
        assert inject.depends_on is None or inject.depends_on.exercise_id == variant.pk
    # The source is untouched.
    assert source.injects.count() == 3
    assert source.phases.count() == 2


def test_duplicate_names_a_copy_without_country():
    source = services.exercise_create(name="Table top", planned_minutes=30)
    assert services.exercise_duplicate(exercise=source).name == "Table top (copy)"


def test_course_exercises_set_orders_adds_and_removes():
    course = CourseFactory()
    a, b, c = ExerciseFactory(name="A"), ExerciseFactory(name="B"), ExerciseFactory(name="C")
    CourseExerciseFactory(course=course, exercise=a, order=1)
    CourseExerciseFactory(course=course, exercise=c, order=2)
    services.course_exercises_set(course=course, items=[(2, a), (1, b)])
    assert list(course.course_exercises.order_by("order").values_list("exercise__name", "order")) == [
        ("B", 1),
        ("A", 2),
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.course_exercises_set(course=course, items=[(1, a), (2, a), (4, c)])
    errors = _errors(excinfo)
    assert errors["exercises[1].exercise"] == ["“A” is listed twice."]
    assert CourseExercise.objects.filter(course=course).count() == 2
    with pytest.raises(ValidationError) as excinfo:
        services.course_exercises_set(course=course, items=[(1, a), (3, c)])
    assert _errors(excinfo)["exercises"] == ["Exercises must be numbered 1 to 2 without gaps; missing: 2."]


def test_run_teams_survive_a_replan_that_keeps_their_roles():
    exercise = services.exercise_create(name="Keep", planned_minutes=45, plan=_plan())
    run = services.exercise_run_create(exercise=exercise, cohort=ExerciseRunFactory().cohort)
    team_ids = set(run.teams.values_list("pk", flat=True))
    plan = services.exercise_plan_of(exercise=exercise)
    plan.team_roles[0].name = "Border police"
    services.exercise_update(exercise=exercise, data={}, plan=plan)
    assert set(RunTeam.objects.filter(run=run).values_list("pk", flat=True)) == team_ids
    assert exercise.team_roles.get(number=1).name == "Border police"
