"""The certificates rules and the querysets (visible_to) agree, for every role of the shared world."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from certificates.models import Certificate, EligibilityOverride
from certificates.tests.factories import CertificateFactory, EligibilityOverrideFactory
from tests.walk_certificates import certificate_of, override_of
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db


def _fresh(user):
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_view_rules_agree_with_visible_to(world: World, role: str):
    objects = [
        certificate_of(world),
        CertificateFactory(cohort=world.cohort_other, participant=world.participant_other),
        CertificateFactory(cohort=world.cohort),  # a classmate's
        override_of(world),
        EligibilityOverrideFactory(cohort=world.cohort_other, participant=world.participant_other),
    ]
    answers = []
    for obj in objects:
        perm = f"certificates.view_{type(obj)._meta.model_name}"
        user = _fresh(world.users[role])
        by_rule = user.has_perm(perm, obj)
        by_queryset = type(obj).objects.visible_to(_fresh(world.users[role])).filter(pk=obj.pk).exists()
        assert by_rule == by_queryset, (role, obj)
        answers.append(by_rule)
    expected = {
        "anonymous": [False, False, False, False, False],
        "participant_other": [False, True, False, False, False],
        "participant": [True, False, False, False, False],
        "facilitator_other": [False, True, False, False, True],
        "facilitator": [True, False, True, True, False],
        "coordinator": [True, True, True, True, True],
    }
    assert answers == expected[role]
    assert Certificate.objects.count() == 3
    assert EligibilityOverride.objects.count() == 2


def test_a_named_coordinator_of_the_cohort_manages_its_certificates(world: World):
    from accounts.tests.factories import UserFactory

    named = UserFactory()
    world.cohort.coordinators.add(named)
    certificate = certificate_of(world)
    assert named.has_perm("certificates.manage_certificates", world.cohort)
    assert _fresh(named).has_perm("certificates.change_certificate", certificate)
    assert not _fresh(named).has_perm("certificates.manage_certificates", world.cohort_other)
    assert not _fresh(world.users["facilitator"]).has_perm("certificates.manage_certificates", world.cohort)
    assert Certificate.objects.visible_to(_fresh(named)).filter(pk=certificate.pk).exists()
