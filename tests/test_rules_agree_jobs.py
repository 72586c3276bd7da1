"""The jobs rule and Job.objects.visible_to, for every role of the shared world.

For a job whose kind lets nobody else see it, the two agree exactly. A kind may let more people see
a job (a roster import's commit: every coordinator); those are the only jobs the rule admits and the
list leaves out, since lists show one's own jobs and domain pages list theirs by scope.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from jobs.models import Job
from participants.roster_job import roster_commit_request
from participants.services import roster_import_create
from tests.walk_jobs import _job
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db


def _fresh(user):
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_view_rule_and_visible_to(world: World, role: str):
    own = _job(world)  # the facilitator's; its kind is not registered
    coordinator = world.users["coordinator"]
    content = b"email,first_name,last_name\na@example.org,A,B\n"
    roster_import = roster_import_create(
        cohort=world.cohort, uploaded_by=coordinator, filename="r.csv", content=content
    )
    roster, _ = roster_commit_request(roster_import=roster_import, by=coordinator)
    answers = []
    for job in (own, roster):
        user = _fresh(world.users[role])
        by_rule = user.has_perm("jobs.view_job", job)
        listed = Job.objects.visible_to(user).filter(pk=job.pk).exists()
        if job is own:
            assert by_rule == listed, (role, job)
        else:
            assert by_rule or not listed, (role, job)
        answers.append((by_rule, listed))
    expected = {
        "facilitator": [(True, True), (False, False)],
        "coordinator": [(False, False), (True, True)],
    }.get(role, [(False, False), (False, False)])
    assert answers == expected
