"""The languages of the interface: which ones a page may be in, their own names, the one a request gets.

``settings.LANGUAGES`` lists every language of content, e-mails, certificates and people's
preferences; ``settings.CONCORD_UI_LANGUAGES`` those whose interface catalogue is complete. A page is
only ever in (and declared in) one of the latter.
"""

from dataclasses import dataclass

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, for a switcher: "Polski", "Deutsch"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def ui_language_codes() -> list[str]:
    """The interface languages, in the order of ``LANGUAGES``; the default language is always one."""
    wanted = set(settings.CONCORD_UI_LANGUAGES) | {settings.LANGUAGE_CODE}
    return [code for code in language_codes() if code in wanted]


def language_local_name(code: str) -> str:
    name = LANG_INFO.get(code, {}).get("name_local") or code
    return name[:1].upper() + name[1:]


def ui_languages() -> list[Language]:
    return [Language(code=code, name=language_local_name(code)) for code in ui_language_codes()]


def ui_language(code: str | None) -> str | None:
    """``code`` (or its base language: ``pl-PL`` → ``pl``) when the interface speaks it, else None."""
    if not code:
        return None
    try:
        variant = get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None
    return variant if variant in ui_language_codes() else None


def content_language(code: str | None) -> str:
    """``code`` when it is one of ``LANGUAGES`` (e-mails, PDFs, content), else the default language."""
    try:
        return get_supported_language_variant((code or "").strip().lower())
    except LookupError:
        return settings.LANGUAGE_CODE


def request_language(*, chosen: str | None, cookie: str | None, accept: str) -> str:
    """The interface language of a request: the person's choice, then the cookie, then the browser's
    ``Accept-Language`` (by its weights), then the default. Only interface languages are ever chosen."""
    for candidate in (chosen, cookie):
        found = ui_language(candidate)
        if found:
            return found
    for code, _weight in parse_accept_lang_header(accept or ""):
        if code == "*":
            break
        found = ui_language(code)
        if found:
            return found
    return settings.LANGUAGE_CODE
