"""Privacy's writes: asking for a person's data export."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.exports import export_delimiter
from accounts.languages import user_language
from accounts.models import User
from audit.decorators import audited
from core.exceptions import ApplicationError
from jobs.models import Job
from jobs.services import job_request
from privacy.export_job import KIND, person_scope


@transaction.atomic
@audited("person.export", target="person", subject="pk", fields=None)
def person_export_request(*, person: User, by: Any) -> Job:
    """Ask for everything held about ``person`` as a ZIP, built in the background: the job.

    The person may ask, or a coordinator on their behalf (``privacy.export_person``). While an export of
    the same person is queued or running, asking again answers that job. The ZIP is in the requester's
    language and CSV delimiter. An erased person has nothing left to export.
    """
    if by is None or not by.has_perm("privacy.export_person", person):
        raise ApplicationError(_("You may not ask for this person's data."))
    if person.erased_at is not None:
        raise ApplicationError(_("This person's data was erased: there is nothing to export."))
    job, _created = job_request(
        kind=KIND,
        requested_by=by,
        dedupe_key=f"{KIND}:{person.pk}",
        input={"person": person.pk, "language": user_language(by), "delimiter": export_delimiter(user=by)},
        scope=person_scope(person.pk),
    )
    return job
