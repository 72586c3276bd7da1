"""The demo's curriculum: objectives, agencies, the exercise and its plan, the questionnaire, the course.

A rerun brings all of it back to the seed (demo.content), through the apps' update services.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import User
from demo import content
from demo.plan import plan_tally, seed_plan
from demo.sync import Tally, changes
from exercises import plans as exercise_plans
from exercises import services as exercise_services
from exercises.models import CourseExercise, Exercise, ExerciseRun, Handout
from reflections import services as reflection_services
from reflections.models import Administration, Choice, Question, Questionnaire
from trainings import services as training_services
from trainings.models import Agency, Course, LearningObjective


def load_objectives(tally: Tally) -> dict[str, LearningObjective]:
    # Retiring is a coordinator's decision (learning_objective_retire) that the demo leaves as it is.
    existing = LearningObjective.objects.in_bulk([data.code for data in content.OBJECTIVES], field_name="code")
    objectives = {}
    for data in content.OBJECTIVES:
        objective = existing.get(data.code)
        wanted: dict[str, Any] = {
            "title": data.title,
            "description": data.description,
            "category": data.category,
            "order": data.order,
        }
        if objective is None:
            objective = training_services.learning_objective_create(code=data.code, **wanted)
            tally.note(LearningObjective, created=True)
        else:
            differ = changes(objective, wanted)
            if differ:
                training_services.learning_objective_update(objective=objective, data=differ)
            tally.note(LearningObjective, changed=bool(differ))
        objectives[data.code] = objective
    return objectives


def load_agencies(tally: Tally) -> dict[str, Agency]:
    agencies = {}
    for data in content.AGENCIES:
        agency = Agency.objects.filter(name=data.name, country=data.country).order_by("pk").first()
        if agency is None:
            agency = training_services.agency_create(
                name=data.name, kind=data.kind, country=data.country, description=data.description
            )
            tally.note(Agency, created=True)
        else:
            differ = changes(agency, {"kind": data.kind, "description": data.description})
            if differ:
                training_services.agency_update(agency=agency, data=differ)
            tally.note(Agency, changed=bool(differ))
        agencies[data.key] = agency
    return agencies


def load_exercise(
    tally: Tally,
    objectives: dict[str, LearningObjective],
    data: content.ExerciseData = content.EXERCISE,
    *,
    language: str = "en",
    variant_of: Exercise | None = None,
) -> Exercise:
    """The exercise and its plan: a rerun brings both back to the seed, keeping the plan rows' ids
    (a run's teams play its team roles) and any phase, team or inject added after the seed's.

    With ``variant_of``, the exercise is that one's variant in ``language``: the Polish variant of the
    seed's exercise (``demo.content_pl``), its plan rows numbered as the original's.
    """
    exercise = Exercise.objects.filter(slug=data.slug).first()
    current = exercise_services.exercise_plan_of(exercise=exercise) if exercise is not None else None
    plan = seed_plan(current=current or exercise_plans.ExercisePlan(), objectives=objectives, data=data)
    plan_tally(tally, current=current, wanted=plan)
    wanted: dict[str, Any] = {
        "name": data.name,
        "kind": data.kind,
        "planned_minutes": data.planned_minutes,
        "aim": data.aim,
        "scenario": data.scenario,
        "materials": data.materials,
        "facilitator_guidelines": data.facilitator_guidelines,
        "tips": data.tips,
        "online_variation": data.online_variation,
        "debriefing_guidance": data.debriefing_guidance,
        "language": language,
        "learning_objectives": [objectives[code] for code in data.objective_codes],
    }
    if exercise is None:
        exercise = exercise_services.exercise_create(slug=data.slug, plan=plan, variant_of=variant_of, **wanted)
        tally.note(Exercise, created=True)
    else:
        differ = changes(exercise, wanted)
        plan_changed = plan != current
        if differ or plan_changed:
            # The plan only when it differs: exercise_update saves the exercise whenever it gets one.
            exercise_services.exercise_update(exercise=exercise, data=differ, plan=plan if plan_changed else None)
        tally.note(Exercise, changed=bool(differ) or plan_changed)
    load_handouts(tally, exercise, data)
    return exercise


def load_handouts(tally: Tally, exercise: Exercise, data: content.ExerciseData = content.EXERCISE) -> None:
    # exercises has no handout service yet (handouts are edited in the admin), so these are direct writes.
    for handout in data.handouts:
        tally.upsert(
            Handout,
            lookup={"exercise": exercise, "order": handout.order},
            values={"title": handout.title, "description": handout.description},
        )


def load_questionnaire(tally: Tally, exercise: Exercise) -> Questionnaire:
    # reflections has no services yet (issue #9 brings them): direct writes until it does.
    data = content.QUESTIONNAIRE
    questionnaire = tally.upsert(
        Questionnaire,
        lookup={"title": data.title},
        values={
            "introduction": data.introduction,
            "is_anonymous": data.is_anonymous,
            "is_template": True,
            "exercise": exercise,
        },
    )
    for question in data.questions:
        saved = tally.upsert(
            Question,
            lookup={"questionnaire": questionnaire, "order": question.order},
            values={
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "scale_max": question.scale_max,
                "low_label": question.low_label,
                "high_label": question.high_label,
                "translations": dict(question.translations),
            },
        )
        for order, (key, label) in enumerate(question.choices, start=1):
            values = {"order": order, "label": label, "translations": dict(question.choice_translations.get(key, {}))}
            tally.upsert(Choice, lookup={"question": saved, "key": key}, values=values)
    return questionnaire


def administer_questionnaire(tally: Tally, questionnaire: Questionnaire, run: ExerciseRun, by: User) -> Administration:
    """Give the seed's questionnaire to the demo run, open from the run's session for two weeks, once."""
    administration = Administration.objects.filter(questionnaire=questionnaire, run=run).order_by("pk").first()
    if administration is not None:
        # Given once: a facilitator may have changed its times since.
        tally.note(Administration)
        return administration
    # The demo run is always in a session; a coordinator may have taken it out since.
    starts = run.session.starts_at if run.session else timezone.now()
    ends = run.session.ends_at if run.session else starts
    administration = reflection_services.administration_create(
        by=by,
        questionnaire=questionnaire,
        run=run,
        data={"opens_at": starts, "closes_at": ends + dt.timedelta(days=14), "remind_after_hours": 24},
    )
    tally.note(Administration, created=True)
    return administration


def load_course(tally: Tally, objectives: dict[str, LearningObjective], exercise: Exercise) -> Course:
    data = content.COURSE
    course = Course.objects.filter(slug=data.slug).first()
    wanted: dict[str, Any] = {
        "title": data.title,
        "summary": data.summary,
        "language": data.language,
        "learning_objectives": [objectives[code] for code in data.objective_codes],
    }
    if course is None:
        course = training_services.course_create(slug=data.slug, **wanted)
        tally.note(Course, created=True)
    else:
        differ = changes(course, wanted)
        if differ:
            training_services.course_update(course=course, data=differ)
        tally.note(Course, changed=bool(differ))
    # The course plan keeps any exercise a coordinator added; the demo's joins at the end.
    plan = list(CourseExercise.objects.filter(course=course).select_related("exercise").order_by("order", "pk"))
    if exercise.pk not in {item.exercise_id for item in plan}:
        exercises = [item.exercise for item in plan] + [exercise]
        exercise_services.course_exercises_set(
            course=course, items=[(order, item) for order, item in enumerate(exercises, start=1)]
        )
        tally.links_changed += 1
    return course
