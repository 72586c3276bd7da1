"""Permission-walk expectations for answering reflections (reflections.views.answering, .staff, .api.answering).

The administration is cohort A's, given to its run. Its participant answers it; the cohort's staff see
it but do not answer (403), and follow its response rate, print it blank and type in paper sheets; its
participant gets 403 there. People of the other cohort get 404 everywhere. The API lists only the
caller's own questionnaires, so staff and strangers get 404 on its details.
"""

from collections.abc import Callable
from typing import Any

from reflections.models import Administration
from reflections.tests.factories import AdministrationFactory, QuestionnaireFactory
from tests.world import World

LOGIN = "redirect to login"
REFUSED = 401  # DRF asks anonymous users to authenticate


def _administration(world: World) -> Administration:
    """Cohort A's questionnaire for its run, made once per world."""
    found = Administration.objects.filter(cohort=world.cohort, run=world.run).first()
    return found or AdministrationFactory(questionnaire=QuestionnaireFactory(), cohort=world.cohort, run=world.run)


STAFF_PAGE = (LOGIN, 404, 403, 404, 200, 200)

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "reflections:answer": (LOGIN, 404, 200, 404, 403, 403),
    # POST only (htmx autosave, send a reminder now): a GET is refused after the object's rule.
    "reflections:answer_draft": (LOGIN, 404, 405, 404, 403, 403),
    "reflections:administration_remind": (LOGIN, 404, 403, 404, 405, 405),
    "reflections:administration_progress": STAFF_PAGE,
    "reflections:administration_progress_rate": STAFF_PAGE,
    "reflections:paper_entry": STAFF_PAGE,
    "reflections:administration_blank_pdf": STAFF_PAGE,
    "api:myreflection-list": (REFUSED, 200, 200, 200, 200, 200),
    "api:myreflection-detail": (REFUSED, 404, 200, 404, 404, 404),
    "api:myreflection-draft": (REFUSED, 404, 200, 404, 404, 404),
    "api:myreflection-submission": (REFUSED, 404, 200, 404, 404, 404),
}

TARGETS: dict[str, Callable[[World], Any]] = dict.fromkeys(
    (
        "reflections:answer",
        "reflections:answer_draft",
        "reflections:administration_remind",
        "reflections:administration_progress",
        "reflections:administration_progress_rate",
        "reflections:paper_entry",
        "reflections:administration_blank_pdf",
    ),
    _administration,
)

API_TARGETS: dict[str, Callable[[World], Any]] = {
    "myreflection": _administration,
}

SKIPPED: dict[str, str] = {
    "api:myreflection-submit": "write action (POST), outside this read-only walk; see test_answering_api.py",
}
