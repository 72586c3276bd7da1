"""Uploading a file to an inject; the upload rules themselves are the service's (``core.uploads``)."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.tabular import size_error


class InjectAttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, image (PNG, JPEG), text, Word, OpenDocument or Excel file."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("What the teams see; the file name when empty.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.CONCORD_MAX_UPLOAD_BYTES
        # Refused before it is read into memory.
        if upload.size > limit:
            raise forms.ValidationError(size_error(size=upload.size, limit=limit))
        return upload
