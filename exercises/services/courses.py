"""Writes for a course's exercises: which ones, in what order."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from audit.decorators import audited
from core.exceptions import ApplicationError
from exercises.models import CourseExercise, Exercise
from exercises.plans import Errors, error_add, numbering_errors, row_key
from trainings.models import Course


@transaction.atomic
@audited("course.exercises_set", target="course")
def course_exercises_set(*, course: Course, items: Sequence[tuple[int | None, Exercise]]) -> list[CourseExercise]:
    """Set which exercises a course has and in what order: ``items`` pairs an order number with an exercise.

    Errors are keyed ``exercises[<index>].order`` / ``.exercise`` and ``exercises``.
    """
    errors: Errors = {}
    seen: set[int] = set()
    for index, (_order, exercise) in enumerate(items):
        if exercise.pk in seen:
            error_add(
                errors,
                row_key("exercises", index, "exercise"),
                _("“%(name)s” is listed twice.") % {"name": exercise.name},
            )
        seen.add(exercise.pk)
    numbering_errors(errors, "exercises", [order for order, _exercise in items], "order")
    if errors:
        raise ApplicationError(field_errors=errors)
    existing = {ce.exercise_id: ce for ce in CourseExercise.objects.filter(course=course)}
    CourseExercise.objects.filter(course=course).exclude(exercise_id__in=seen).delete()
    result = []
    for order, exercise in items:
        item = existing.get(exercise.pk) or CourseExercise(course=course, exercise=exercise)
        if item.pk is None or item.order != order:
            item.order = order or 0
            item.save()
        result.append(item)
    return result
