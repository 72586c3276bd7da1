"""The personal-data export as a background job (``privacy.export``), registered from ``PrivacyConfig.ready()``.

Its input is ``{"person": <user id>, "language": ..., "delimiter": ...}`` (the requester's language and CSV
delimiter); one job per person at a time (the dedupe key). The ZIP (``privacy.export``) is written to a
temporary file, section by section (the job's progress), then stored as the job's result file, kept
``CONCORD_PRIVACY_EXPORT_HOURS``. The person it is about may follow and download it, and so may whoever
may ask for it (``privacy.export_person``): a coordinator who asks while the person's own export runs gets
that job. Each download is recorded in the audit trail as a read about the person.
"""

import tempfile
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.exceptions import ApplicationError
from jobs.models import Job
from jobs.registry import JobKind, register
from jobs.services import JobProgress
from privacy.export import Section, export_sections, export_write

KIND = "privacy.export"
ZIP = "application/zip"


def person_scope(person_id: int) -> str:
    """The scope of a person's export jobs: their pages list them (``jobs.selectors.jobs_for_scope``)."""
    return f"person:{person_id}"


def keep_seconds() -> int:
    """How long the ZIP is kept (read when each job ends, so that a changed setting applies at once)."""
    return int(settings.CONCORD_PRIVACY_EXPORT_HOURS) * 3600


def export_file_name(person_id: int, date: Any) -> str:
    return f"concord-data-{person_id}-{date:%Y-%m-%d}.zip"


def run_export_job(job: Job, progress: JobProgress) -> dict[str, Any]:
    person = User.objects.filter(pk=job.input.get("person")).first()
    with translation.override(job.input.get("language") or settings.LANGUAGE_CODE):
        if person is None:
            raise ApplicationError(translation.gettext("This person no longer exists."))
        if person.erased_at is not None:
            raise ApplicationError(translation.gettext("This person's data was erased: there is nothing to export."))
        sections = export_sections()
        progress.set_total(len(sections))

        def section_done(section: Section, count: int) -> None:
            progress.advance()

        now = timezone.now()
        with tempfile.TemporaryFile() as archive:
            counts = export_write(
                person=person,
                out=archive,
                generated_at=now,
                delimiter=job.input.get("delimiter") or ",",
                keep_hours=settings.CONCORD_PRIVACY_EXPORT_HOURS,
                on_section=section_done,
            )
            archive.seek(0)
            progress.save_result(
                name=export_file_name(person.pk, timezone.localdate(now)), content=archive, content_type=ZIP
            )
    return {
        "person": person.pk,
        "sections": sum(1 for count in counts.values() if count),
        "rows": sum(counts.values()),
    }


def _person_id(job: Job) -> int | None:
    value = job.input.get("person")
    return value if isinstance(value, int) else None


def _can_view(user: Any, job: Job) -> bool:
    person_id = _person_id(job)
    if person_id is None:
        return False
    if user.pk == person_id:  # the person it is about (no query)
        return True
    person = User.objects.filter(pk=person_id).first()
    return person is not None and user.has_perm("privacy.export_person", person)


def register_export_kind() -> None:
    register(
        JobKind(
            name=KIND,
            label=_("Personal data export"),
            run=run_export_job,
            can_view=_can_view,
            keep_result_seconds=keep_seconds,
            download_subject=_person_id,
        )
    )
