"""Two facilitators inviting the same address at once, in threads against PostgreSQL: one account,
one place, one e-mail. The run's row lock serves them one after the other; the second finds the place."""

from django.core import mail

from accounts.models import User
from accounts.tests.factories import FacilitatorFactory
from core.models import OutboxMessage
from core.tests.threads import at_once
from exercises import services
from exercises.models import RunCellMember
from exercises.tests.factories import ExerciseRunFactory
from trainings.tests.factories import CohortFactory

ROUNDS = 5


def test_two_invitations_of_one_address_at_once_make_one_place_and_one_email(postgres):
    first, second = FacilitatorFactory(), FacilitatorFactory()
    run = ExerciseRunFactory(cohort=CohortFactory(facilitators=[first, second]))
    for n in range(ROUNDS):
        email = f"guest{n}@embassy.test"
        invites = [
            lambda by=by, email=email: services.cell_guest_invite(run=run, email=email, by=by) for by in (first, second)
        ]
        places, errors = at_once(*invites)

        assert not errors, errors
        assert len({place.pk for place in places}) == 1
        assert User.objects.filter(email=email).count() == 1
        assert RunCellMember.objects.filter(run=run, user__email=email).count() == 1
        assert OutboxMessage.objects.filter(dedupe_key=f"cell-invitation:{places[0].pk}").count() == 1
    assert len(mail.outbox) == ROUNDS  # eager outbox: one e-mail per place, after its commit
