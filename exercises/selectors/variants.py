"""Exercises in several languages: which variant a reader gets, and a team's briefing from it.

An exercise's language variants are the exercises of its family (the original, ``variant_of``, and its
variants) in other languages (``Exercise.language``). A run plays one exercise; a participant reads
their team's briefing and tasks in their own language when a variant in that language exists: the
variant's team role with the same number as the run's. Everything else (phases, injects, the clock)
stays the run's exercise's. Handouts are the staff's (the facilitator guide of each variant lists its own).
"""

from dataclasses import dataclass

from django.conf import settings

from exercises.models import Exercise, TeamRole


@dataclass(frozen=True)
class TeamBriefing:
    """What a team reads about its role, and the language it is written in (for the page's ``lang``)."""

    language: str
    name: str
    briefing: str
    tasks: str


def _family(exercise: Exercise) -> list[Exercise]:
    """The original (followed up ``variant_of``) and every variant below it."""
    root, climbed = exercise, {exercise.pk}
    while root.variant_of_id and root.variant_of_id not in climbed:
        climbed.add(root.variant_of_id)
        root = Exercise.objects.get(pk=root.variant_of_id)
    family, level, seen = [root], [root.pk], {root.pk}
    while level:
        below = [other for other in Exercise.objects.filter(variant_of_id__in=level) if other.pk not in seen]
        seen.update(other.pk for other in below)
        family.extend(below)
        level = [other.pk for other in below]
    return family


def exercise_language_variant(*, exercise: Exercise, language: str) -> Exercise:
    """The exercise to read ``exercise`` in ``language``: itself when it is in that language, else the
    variant of its family in that language (of the same country first, then one for every country),
    else itself. The one place that chooses."""
    if exercise.language == language:
        return exercise
    found = [other for other in _family(exercise) if other.language == language and other.pk != exercise.pk]
    for country in (exercise.country, ""):
        for other in found:
            if other.country == country:
                return other
    return found[0] if found else exercise


def exercise_languages(*, exercise: Exercise) -> list[tuple[str, str, Exercise]]:
    """The languages its family is written in, in the order of ``LANGUAGES``: (code, name, exercise),
    each with the variant a reader of that language gets, for facilitators."""
    names = dict(settings.LANGUAGES)
    codes = {other.language for other in _family(exercise)}
    return [
        (code, str(names[code]), exercise_language_variant(exercise=exercise, language=code))
        for code in names
        if code in codes
    ]


def team_briefing(*, team_role: TeamRole, exercise: Exercise, language: str) -> TeamBriefing:
    """The briefing and tasks of ``team_role`` (of the run's ``exercise``) for a reader of ``language``:
    from the variant's team role of the same number where it has them, else the run's."""
    variant = exercise_language_variant(exercise=exercise, language=language)
    role = team_role
    if variant.pk != exercise.pk:
        role = TeamRole.objects.filter(exercise=variant, number=team_role.number).first() or team_role
    translated = role.pk != team_role.pk and bool(role.briefing or role.tasks)
    source, source_exercise = (role, variant) if translated else (team_role, exercise)
    return TeamBriefing(
        language=source_exercise.language,
        name=source.name,
        briefing=source.briefing,
        tasks=source.tasks,
    )
