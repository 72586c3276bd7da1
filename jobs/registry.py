"""The kinds of job, registered by the domains that own them (in their AppConfig.ready()).

``jobs`` sits below every domain, so it cannot import them: a domain hands it a ``JobKind`` with the
function that does the work and the rule for who may see a job of that kind besides its requester.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from jobs.models import Job
    from jobs.services import JobProgress


@dataclass(frozen=True)
class JobKind:
    name: str  # "certificates.issue"
    label: str | Promise  # shown on pages: "Issue certificates"
    # Does the work, idempotently (a job can run again after a lost worker): reports progress and
    # saves the result file through ``progress``; returns a small JSON summary for ``Job.result``.
    # Raise ``core.exceptions.ApplicationError`` for a failure the requester should read; any
    # other exception is retried by the task, then fails the job with a generic message.
    run: Callable[["Job", "JobProgress"], dict[str, Any] | None]
    # Who may see the job (its page, progress and file) besides the person who asked for it.
    can_view: Callable[[Any, "Job"], bool] = lambda user, job: False
    # How long its result file is kept; None: CONCORD_JOB_RESULT_DAYS. A function is asked when the job
    # ends (a kind that reads a setting then, rather than when it was registered).
    keep_result_seconds: int | Callable[[], int] | None = None
    # The person whom the result file is about (a personal-data export): each download is then recorded
    # as a read about them (``audit_read``'s subject). None: about nobody in particular.
    download_subject: Callable[["Job"], int | None] | None = None

    def keep_seconds(self) -> int | None:
        """How long a result file is kept now (a function is asked each time); None: the default."""
        keep = self.keep_result_seconds
        return keep() if callable(keep) else keep


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Job kind {kind.name!r} is registered twice.")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a kind (tests register kinds of their own and take them away afterwards)."""
    _KINDS.pop(name, None)


def kind_for(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
