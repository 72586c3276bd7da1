"""Permission-walk expectations for reflections: the questionnaire builder and giving questionnaires.

The walked questionnaire is cohort A's facilitator's, given to cohort A's run. Its author and the
coordinator build it; nobody else sees it (participants meet questionnaires through what is given to
their cohort, 404 here). Giving questionnaires is for cohort A's staff: its participant sees the cohort,
run and administration, so gets 403; people of cohort B get 404. POST-only pages answer 405 to a GET
from whoever passes the rule.
"""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from reflections.models import Administration, Question, Questionnaire
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401

BUILDER = (LOGIN, 404, 404, 404, 200, 200)
STAFF_OF_A = (LOGIN, 404, 403, 404, 200, 200)
POST_ONLY_STAFF_OF_A = (LOGIN, 404, 403, 404, 405, 405)

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "reflections:questionnaire_list": (LOGIN, 200, 200, 200, 200, 200),
    "reflections:questionnaire_create": (LOGIN, 403, 403, 200, 200, 200),
    "reflections:questionnaire_detail": BUILDER,
    "reflections:questionnaire_edit": BUILDER,
    "reflections:questionnaire_delete": BUILDER,
    "reflections:questionnaire_duplicate": BUILDER,
    "reflections:questionnaire_translations": BUILDER,
    "reflections:questionnaire_import": BUILDER,
    "reflections:questionnaire_export": BUILDER,
    "reflections:question_create": BUILDER,
    "reflections:question_edit": BUILDER,
    "reflections:question_delete": BUILDER,
    "reflections:question_move": (LOGIN, 404, 404, 404, 405, 405),
    "reflections:cohort_reflections": STAFF_OF_A,
    "reflections:run_reflections": STAFF_OF_A,
    "reflections:administration_edit": STAFF_OF_A,
    "reflections:administration_close": POST_ONLY_STAFF_OF_A,
    "reflections:administration_delete": STAFF_OF_A,
    "api:questionnaire-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:questionnaire-detail": (REFUSED, 404, 404, 404, 200, 200),
    "api:questionnaire-export": (REFUSED, 404, 404, 404, 200, 200),
    "api:questionnaireadministration-list": (REFUSED, 200, 200, 200, 200, 200),
    # Participants of cohort A see what is given to them (to answer it).
    "api:questionnaireadministration-detail": (REFUSED, 404, 200, 404, 200, 200),
}


def reflections_of(world: World) -> SimpleNamespace:
    """The facilitator's questionnaire with one question, given to cohort A's run (made once per world)."""
    made = getattr(world, "_reflections", None)
    if made is None:
        facilitator = world.users["facilitator"]
        questionnaire = Questionnaire.objects.create(title="After the simulation", created_by=facilitator)
        question = Question.objects.create(questionnaire=questionnaire, order=1, kind="text", text="What went well?")
        opens = timezone.now() - dt.timedelta(hours=1)
        administration = Administration.objects.create(
            questionnaire=questionnaire,
            cohort=world.cohort,
            run=world.run,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=7),
        )
        made = SimpleNamespace(questionnaire=questionnaire, question=question, administration=administration)
        world._reflections = made  # type: ignore[attr-defined]
    return made


def _question(world: World) -> SimpleNamespace:
    made = reflections_of(world)
    return SimpleNamespace(pk=made.questionnaire.pk, question_pk=made.question.pk)


TARGETS: dict[str, Callable[[World], Any]] = {
    **{
        f"reflections:questionnaire_{name}": lambda w: reflections_of(w).questionnaire
        for name in ("detail", "edit", "delete", "duplicate", "translations", "import", "export")
    },
    "reflections:question_create": lambda w: reflections_of(w).questionnaire,
    **{f"reflections:question_{name}": _question for name in ("edit", "delete", "move")},
    "reflections:cohort_reflections": lambda w: w.cohort,
    "reflections:run_reflections": lambda w: w.run,
    **{
        f"reflections:administration_{name}": lambda w: reflections_of(w).administration
        for name in ("edit", "close", "delete")
    },
}

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "questionnaire": lambda w: reflections_of(w).questionnaire,
    "questionnaireadministration": lambda w: reflections_of(w).administration,
}

SKIPPED: dict[str, str] = {
    f"api:questionnaire-{name}": "write action (POST), outside this read-only walk; see reflections/tests/test_api.py"
    for name in ("duplicate", "import", "reorder")
} | {
    "api:questionnaireadministration-close": (
        "write action (POST), outside this read-only walk; see reflections/tests/test_api.py"
    ),
}
