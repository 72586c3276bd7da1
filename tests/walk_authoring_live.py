"""Permission-walk expectations for exercise content of real exercises (#8): an inject's attachments.

The attachments page is authoring: coordinators change the exercise (its facilitator sees it: 403,
everyone else 404). The download goes to whoever may open the guide, as handouts do.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile

from exercises.models import InjectAttachment
from tests.world import World

LOGIN = "redirect to login"

# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    "exercises:inject_attachments": (LOGIN, 404, 404, 404, 403, 200),
    "exercises:attachment_download": (LOGIN, 404, 404, 404, 200, 200),
}


def _inject(world: World) -> SimpleNamespace:
    return SimpleNamespace(slug=world.exercise.slug, number=1)


def _attachment(world: World) -> SimpleNamespace:
    """A map on exercise A's first inject."""
    inject = world.exercise.injects.get(number=1)
    attachment = InjectAttachment.objects.filter(inject=inject).first() or InjectAttachment.objects.create(
        inject=inject, title="Map", file=ContentFile(b"map of the border crossing", name="map.txt")
    )
    return SimpleNamespace(slug=world.exercise.slug, pk=attachment.pk)


TARGETS: dict[str, Callable[[World], Any]] = {
    "exercises:inject_attachments": _inject,
    "exercises:attachment_download": _attachment,
}
