"""Handout files, for the people who may open the exercise's facilitator guide.

Files are never served from the media folder (neither Caddy nor Django serves it): this view finds
the exercise among those the user may see (404), asks the exercise rule (403) and streams the file
as an attachment.
"""

from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views import View

from core.views import ObjectPermissionMixin
from exercises.models import Exercise, Handout

# The extensions Handout.file accepts; anything else is offered as a plain download.
_SUFFIXES = {".pdf", ".docx", ".odt", ".pptx", ".xlsx", ".txt", ".png", ".jpg"}


def handout_filename(handout: Handout) -> str:
    """A safe name for the download: the handout's title as a slug, with the file's own extension."""
    suffix = Path(handout.file.name).suffix.lower()
    return f"{slugify(handout.title) or 'handout'}{suffix if suffix in _SUFFIXES else ''}"


class HandoutDownloadView(ObjectPermissionMixin, View):
    permission_required = "exercises.view_exercise"
    lookup_field = lookup_url_kwarg = "slug"
    object: Exercise

    def get_permission_queryset(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        handout = self.object.handouts.exclude(file="").filter(pk=kwargs["pk"]).first()
        if handout is None:
            raise Http404
        return protected_file_response(handout.file, filename=handout_filename(handout))


def protected_file_response(file: FieldFile, *, filename: str) -> FileResponse:
    """A stored file as a private download that the browser never renders (404 when it is gone)."""
    try:
        stream = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
