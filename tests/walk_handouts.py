"""Permission-walk expectations for handout downloads (exercises.views.handouts).

A handout goes to those who may open its exercise's guide: coordinators and the facilitators of a
cohort that runs or studies it. Everyone else gets 404, as for the guide itself.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile

from exercises.models import Handout
from tests.world import World

LOGIN = "redirect to login"

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "exercises:handout_download": (LOGIN, 404, 404, 404, 200, 200),
}


def _handout(world: World) -> SimpleNamespace:
    """Exercise A's role card, with a file; its URL takes the exercise's slug and the handout's pk."""
    handout = world.exercise.handouts.filter(title="Role card").first() or Handout.objects.create(
        exercise=world.exercise, title="Role card", file=ContentFile(b"card", name="card.txt")
    )
    return SimpleNamespace(slug=world.exercise.slug, pk=handout.pk)


TARGETS: dict[str, Callable[[World], Any]] = {
    "exercises:handout_download": _handout,
}
