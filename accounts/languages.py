"""A person's language: the one helper every e-mail, PDF and export asks (``user_language``)."""

from typing import Any

from django.conf import settings
from django.utils import translation

from core.languages import content_language


def user_language(user: Any, *, fallback: str | None = None) -> str:
    """The language to write to ``user`` in: theirs when chosen, else ``fallback``, else the default.

    Always one of ``settings.LANGUAGES``. E-mails and PDFs use it whole, even before the interface
    catalogue of that language is complete: what is translated is in it, the rest in English.
    """
    chosen = getattr(user, "language", "") or fallback or settings.LANGUAGE_CODE
    return content_language(chosen)


def reader_language(request: Any) -> str:
    """The language a signed-in reader wants content in (an exercise's variant, a questionnaire): theirs
    when chosen, else the page's."""
    return user_language(getattr(request, "user", None), fallback=translation.get_language())
