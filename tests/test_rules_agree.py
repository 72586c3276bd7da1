"""The object rules (django-rules) and the list querysets (visible_to) must give the same answer.

``rules`` answers object checks but cannot filter querysets, so lists use ``visible_to(user)``.
For every object of the world and every role, ``user.has_perm("<app>.view_<model>", obj)``
must equal ``obj in Model.objects.visible_to(user)``.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

MODELS = (
    "Cohort",
    "Session",
    "Course",
    "Exercise",
    "ExerciseRun",
    "RunTeam",
    "Observation",
    "Participant",
    "Enrolment",
)


def _fresh(user: User | None) -> User | AnonymousUser:
    # Roles and cohort access are cached on the user object: start from the database each time.
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_view_rule_agrees_with_visible_to_for_every_object(world: World, role: str):
    disagreements = []
    objects = world.objects()
    assert {type(obj).__name__ for obj in objects} == set(MODELS)
    for obj in objects:
        model = type(obj)
        perm = _view_perm(obj)
        by_rule = _fresh(world.users[role]).has_perm(perm, obj)
        by_queryset = model.objects.visible_to(_fresh(world.users[role])).filter(pk=obj.pk).exists()
        if by_rule != by_queryset:
            disagreements.append(
                f"{perm} on {model.__name__} {obj.pk} ({obj}): rule {by_rule}, visible_to {by_queryset}"
            )
    assert not disagreements, f"{role}:\n" + "\n".join(disagreements)


def _view_perm(obj: object) -> str:
    return f"{obj._meta.app_label}.view_{obj._meta.model_name}"  # type: ignore[attr-defined]


def test_the_world_exercises_both_answers(world: World):
    """Guard against a vacuous pass: anonymous sees nothing, the coordinator everything, the others some."""
    for role in ROLES:
        user = _fresh(world.users[role])
        answers = {user.has_perm(_view_perm(obj), obj) for obj in world.objects()}
        expected = {"anonymous": {False}, "coordinator": {True}}.get(role, {True, False})
        assert answers == expected, role
