"""Background work of certificates: one render, one e-mail. Jobs (issue, ZIP) run through jobs.tasks."""

from celery import shared_task

from certificates import services
from core.fanout import ONE_EMAIL_TASK


@shared_task(bind=True, max_retries=5, acks_late=True)
def certificate_render_task(self, certificate_id: int, expected_revision: int | None = None) -> str:  # type: ignore[no-untyped-def]
    """Render one certificate (a reissue or a render asked again); idempotent."""
    return services.certificate_render(certificate_id=certificate_id, expected_revision=expected_revision).status


@shared_task(**ONE_EMAIL_TASK)
def certificate_email_task(certificate_id: int, revision: int) -> bool:
    """Tell the holder this revision of their certificate is ready, once."""
    return services.certificate_email(certificate_id=certificate_id, revision=revision)
