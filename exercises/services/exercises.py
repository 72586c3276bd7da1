"""Writes for exercises: create one with its plan, change it (and replace its plan), make a variant."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.decorators import audited
from core.services import Errors, country_code_errors, merge_errors, model_apply, model_full_clean, unique_slug
from exercises.models import Exercise, ExerciseRun, Handout
from exercises.plans import ExercisePlan, phases_shown, plan_errors, retired_objective_errors
from exercises.services.plans import ExerciseRows, exercise_plan_errors, exercise_plan_of, plan_apply, plan_row_check
from exercises.services.runs import exercise_runs_rescheduled
from trainings.models import LearningObjective
from trainings.services import cohort_schedule_bump

EXERCISE_FIELDS = (
    "name",
    "slug",
    "kind",
    "planned_minutes",
    "aim",
    "scenario",
    "materials",
    "facilitator_guidelines",
    "tips",
    "online_variation",
    "debriefing_guidance",
    "country",
    "language",
)
# The exercise pages' own addresses: an exercise with such a slug could not be reached.
RESERVED_EXERCISE_SLUGS = frozenset({"new", "import", "runs", "courses"})


def _exercise_slug_errors(slug: str) -> Errors:
    if slug in RESERVED_EXERCISE_SLUGS:
        return {"slug": [_("“%(slug)s” is used by the site's own pages; choose another slug.") % {"slug": slug}]}
    return {}


def _free_exercise_slug(text: str) -> str:
    slug = unique_slug(Exercise, text)
    return unique_slug(Exercise, f"{text} exercise") if slug in RESERVED_EXERCISE_SLUGS else slug


def _exercise_minutes_errors(minutes: int | None) -> Errors:
    if minutes is not None and minutes < 1:
        return {"planned_minutes": [_("The planned duration must be at least one minute.")]}
    return {}


def _exercise_objective_errors(
    objectives: Sequence[LearningObjective], *, linked: Iterable[int] = (), keep_retired: bool = False
) -> Errors:
    errors: Errors = {}
    if not keep_retired:
        retired_objective_errors(objectives, linked=linked, key="learning_objectives", errors=errors)
    return errors


def _exercise_create(
    *,
    fields: Mapping[str, Any],
    learning_objectives: Sequence[LearningObjective],
    plan: ExercisePlan | None,
    variant_of: Exercise | None = None,
    keep_retired: bool = False,
    validate_plan: bool = True,
) -> Exercise:
    values = dict(fields)
    values["country"] = (values.get("country") or "").upper()
    given_slug = values.get("slug") or ""
    values["slug"] = given_slug or _free_exercise_slug(values.get("name") or "")
    exercise = Exercise(**values, variant_of=variant_of)
    plan = plan or ExercisePlan()
    errors = merge_errors(
        country_code_errors(country=values["country"]),
        _exercise_slug_errors(given_slug),
        _exercise_minutes_errors(values.get("planned_minutes")),
        _exercise_objective_errors(learning_objectives, keep_retired=keep_retired),
        exercise_plan_errors(exercise=None, plan=plan, keep_retired=keep_retired) if validate_plan else {},
    )
    model_full_clean(instance=exercise, errors=errors)
    exercise.save()
    exercise.learning_objectives.set(learning_objectives)
    plan_apply(exercise=exercise, plan=plan, rows=ExerciseRows.of(None))
    return exercise


@transaction.atomic
@audited("exercise.create")
def exercise_create(
    *,
    name: str,
    planned_minutes: int,
    kind: str = Exercise.Kind.SIMULATION,
    slug: str = "",
    aim: str = "",
    scenario: str = "",
    materials: str = "",
    facilitator_guidelines: str = "",
    tips: str = "",
    online_variation: str = "",
    debriefing_guidance: str = "",
    country: str = "",
    language: str = "en",
    variant_of: Exercise | None = None,
    learning_objectives: Sequence[LearningObjective] = (),
    plan: ExercisePlan | None = None,
) -> Exercise:
    """A new exercise, with its phases, team roles and injects when ``plan`` is given; a variant of
    another (in another language, say) with ``variant_of``."""
    fields = {
        "name": name,
        "planned_minutes": planned_minutes,
        "kind": kind,
        "slug": slug,
        "aim": aim,
        "scenario": scenario,
        "materials": materials,
        "facilitator_guidelines": facilitator_guidelines,
        "tips": tips,
        "online_variation": online_variation,
        "debriefing_guidance": debriefing_guidance,
        "country": country,
        "language": language,
    }
    return _exercise_create(fields=fields, learning_objectives=learning_objectives, plan=plan, variant_of=variant_of)


@transaction.atomic
@audited("exercise.update", target="exercise")
def exercise_update(*, exercise: Exercise, data: Mapping[str, Any], plan: ExercisePlan | None = None) -> Exercise:
    """Change the exercise's own fields and objectives, and replace its plan when ``plan`` is given.

    Plan rows with an ``id`` keep their identity (runs, observations and handouts refer to them);
    rows left out are removed, unless a run depends on them.
    """
    Exercise.objects.select_for_update().filter(pk=exercise.pk).values_list("pk").get()
    data = dict(data)
    objectives = data.pop("learning_objectives", None)
    if "country" in data:
        data["country"] = (data["country"] or "").upper()
    changed = model_apply(instance=exercise, fields=EXERCISE_FIELDS, data=data)
    errors = merge_errors(
        country_code_errors(country=exercise.country),
        _exercise_slug_errors(exercise.slug) if "slug" in changed else {},
        _exercise_minutes_errors(exercise.planned_minutes),
    )
    if objectives is not None:
        linked = exercise.learning_objectives.values_list("pk", flat=True)
        errors = merge_errors(errors, _exercise_objective_errors(objectives, linked=linked))
    rows = ExerciseRows.of(exercise) if plan is not None else None
    if plan is not None and rows is not None:
        errors = merge_errors(errors, plan_errors(plan=plan, existing=rows.existing, row_check=plan_row_check))
    model_full_clean(instance=exercise, errors=errors)
    if changed or plan is not None:
        # A new plan changes the guide too: updated_at is what cached agendas compare.
        exercise.save(update_fields=[*changed, "updated_at"])
    if objectives is not None:
        exercise.learning_objectives.set(objectives)
    phases_changed = False
    if plan is not None and rows is not None:
        # Taken before plan_apply, which updates the existing phases in place.
        phases_before = phases_shown(rows.phases.values())
        plan_apply(exercise=exercise, plan=plan, rows=rows)
        phases_changed = phases_before != phases_shown(plan.phases)
    # A run lasts its phases (or the planned duration without them): its calendar event ends elsewhere.
    if phases_changed or "planned_minutes" in changed:
        exercise_runs_rescheduled(exercise=exercise)
    if changed or plan is not None:
        # The exercise's name and phases show on the agendas of the cohorts that run it.
        cohort_schedule_bump(cohort_ids=ExerciseRun.objects.filter(exercise=exercise).values("cohort_id"))
    return exercise


@transaction.atomic
@audited("exercise.duplicate")
def exercise_duplicate(
    *, exercise: Exercise, name: str = "", country: str = "", slug: str = "", language: str = ""
) -> Exercise:
    """A variant of ``exercise`` (for another country or ``language``, say): the same guide, phases,
    teams with their positions, cell roles, injects and handout titles, as new rows, to be adapted or
    translated. Objectives are copied as they are, retired ones included: the variant is the same
    exercise. Handout and inject attachment files are not copied; the variant gets its own.
    """
    country = (country or exercise.country).upper()
    if not name:
        name = f"{exercise.name} ({country})" if country else _("%(name)s (copy)") % {"name": exercise.name}
    plan = exercise_plan_of(exercise=exercise)
    for rows in (plan.phases, plan.team_roles, plan.injects, plan.cell_roles or []):
        for row in rows:
            row.id = None  # type: ignore[attr-defined]  # each row type has an id
    fields = {f: getattr(exercise, f) for f in EXERCISE_FIELDS}
    fields.update(name=name, country=country, slug=slug, language=language or exercise.language)
    copy = _exercise_create(
        fields=fields,
        learning_objectives=list(exercise.learning_objectives.all()),
        plan=plan,
        variant_of=exercise,
        keep_retired=True,
        # The source plan was accepted when it was saved; the copy keeps it exactly as it is.
        validate_plan=False,
    )
    Handout.objects.bulk_create(
        [
            Handout(exercise=copy, title=h.title, description=h.description, order=h.order)
            for h in exercise.handouts.all()
        ]
    )
    return copy
