"""Files an inject carries (a scanned passport, a police report, a map), uploaded under the platform's
upload rules (``core.uploads``): size, a clean name, an allowed extension, content that matches it."""

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.decorators import audited
from core.exceptions import ApplicationError
from core.services import model_full_clean
from core.uploads import upload_name_clean, upload_problems
from exercises.models import Exercise, Inject, InjectAttachment

# The extensions InjectAttachment.file accepts.
ATTACHMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "txt", "docx", "odt", "xlsx")
MAX_ATTACHMENTS = 20


def _check_may_change(*, exercise: Exercise, by: Any) -> None:
    if by is None or not by.has_perm("exercises.change_exercise", exercise):
        raise ApplicationError(_("You may not change this exercise's injects."))


@transaction.atomic
@audited("inject_attachment.add")
def inject_attachment_add(
    *, inject: Inject, name: str, content: bytes, size: int, title: str = "", by: Any
) -> InjectAttachment:
    """Attach a file to ``inject``; refused (nothing stored) when the file breaks the upload rules.

    ``size`` is the upload's real size: a caller may read only one byte past the limit.
    """
    _check_may_change(exercise=inject.exercise, by=by)
    # Lock the exercise, as plan changes do: the order and the count below stay true.
    Exercise.objects.select_for_update().filter(pk=inject.exercise_id).values_list("pk").get()
    clean_name = upload_name_clean(name)
    problems = upload_problems(
        name=clean_name, size=max(size, len(content)), content=content, extensions=ATTACHMENT_EXTENSIONS
    )
    if problems:
        raise ApplicationError(" ".join(problems), field_errors={"file": problems})
    existing = InjectAttachment.objects.filter(inject=inject)
    if existing.count() >= MAX_ATTACHMENTS:
        message = _("An inject carries at most %(count)s files.") % {"count": MAX_ATTACHMENTS}
        raise ApplicationError(message, field_errors={"file": [message]})
    order = (existing.aggregate(last=Max("order"))["last"] or 0) + 1
    attachment = InjectAttachment(
        inject=inject, title=title.strip(), order=order, file=ContentFile(content, name=clean_name)
    )
    model_full_clean(instance=attachment)
    attachment.save()  # stores the file under a free name in its folder
    return attachment


@transaction.atomic
@audited("inject_attachment.delete", target="attachment")
def inject_attachment_delete(*, attachment: InjectAttachment, by: Any) -> None:
    """Remove the attachment and, once the transaction commits, its file."""
    _check_may_change(exercise=attachment.inject.exercise, by=by)
    storage, file_name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(file_name))
