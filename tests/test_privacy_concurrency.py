"""Two coordinators erase the same person at the same moment (threads against PostgreSQL): one erasure."""

from accounts.models import User
from accounts.tests.factories import CoordinatorFactory
from audit.models import AuditEntry
from core.exceptions import ApplicationError
from core.tests.threads import at_once
from participants.tests.factories import EnrolmentFactory
from privacy.models import ErasureRecord
from privacy.services import person_erase


def test_two_erasures_of_one_person_at_once_erase_once(postgres):
    enrolment = EnrolmentFactory()
    person = enrolment.participant.user
    first, second = CoordinatorFactory(), CoordinatorFactory()

    def erase(by):
        return lambda: person_erase(person=User.objects.get(pk=person.pk), by=by, reason="Asked to be forgotten.")

    done, refused = at_once(erase(first), erase(second))

    assert len(done) == 1
    assert [type(exc) for exc in refused] == [ApplicationError]
    assert "erased already" in str(refused[0])
    assert ErasureRecord.objects.filter(person_id=person.pk).count() == 1
    assert AuditEntry.objects.filter(action="person.erase", subject_id=person.pk).count() == 1
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.email.endswith("@erased.invalid")
