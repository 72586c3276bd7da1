"""The improvement actions' rule and ``ImprovementAction.objects.visible_to`` agree, for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from reports.models import ImprovementAction
from reports.tests.factories import ImprovementActionFactory
from tests.walk_actions import action_of
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db


def _fresh(user):
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_view_rule_agrees_with_visible_to(world: World, role: str):
    ours = action_of(world)  # cohort A, contact: participant A
    theirs = ImprovementActionFactory(cohort=world.cohort_other, run=world.run_other)
    # Cohort B's action naming facilitator A as its contact: they see it as its contact only.
    contact_elsewhere = ImprovementActionFactory(cohort=world.cohort_other, contact=world.users["facilitator"])
    answers = []
    for action in (ours, theirs, contact_elsewhere):
        user = _fresh(world.users[role])
        by_rule = user.has_perm("reports.view_improvementaction", action)
        by_queryset = ImprovementAction.objects.visible_to(_fresh(world.users[role])).filter(pk=action.pk).exists()
        assert by_rule == by_queryset, (role, action)
        answers.append(by_rule)
    expected = {
        "anonymous": [False, False, False],
        "participant_other": [False, False, False],
        "participant": [True, False, False],
        "facilitator_other": [False, True, True],
        "facilitator": [True, False, True],
        "coordinator": [True, True, True],
    }
    assert answers == expected[role]
