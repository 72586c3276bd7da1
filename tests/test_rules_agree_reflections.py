"""The reflections rules and the querysets (visible_to) agree, for every role of the shared world."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from reflections.models import Administration, Questionnaire
from reflections.tests.factories import QuestionnaireFactory
from tests.walk_reflections import reflections_of
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db


def _fresh(user):
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_view_rules_agree_with_visible_to(world: World, role: str):
    made = reflections_of(world)
    template = QuestionnaireFactory(is_template=True)
    colleagues = QuestionnaireFactory(created_by=world.users["facilitator_other"])
    objects = [made.questionnaire, template, colleagues, made.administration]
    answers = []
    for obj in objects:
        perm = f"reflections.view_{type(obj)._meta.model_name}"
        by_rule = _fresh(world.users[role]).has_perm(perm, obj)
        by_queryset = type(obj).objects.visible_to(_fresh(world.users[role])).filter(pk=obj.pk).exists()
        assert by_rule == by_queryset, (role, obj)
        answers.append(by_rule)
    expected = {
        "anonymous": [False, False, False, False],
        "participant_other": [False, False, False, False],
        "participant": [False, False, False, True],
        "facilitator_other": [False, True, True, False],
        "facilitator": [True, True, False, True],
        "coordinator": [True, True, True, True],
    }
    assert answers == expected[role]
    assert Questionnaire.objects.count() == 3
    assert Administration.objects.count() == 1
