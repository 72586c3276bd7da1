"""Text that people type or upload: control characters, look-alike e-mail addresses and names, excerpts.

Pure functions, no ORM: importers, forms and exports share them so that every path agrees.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

EXCERPT_LENGTH = 80

# Unicode category Cc: C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The same, less tab, line feed and carriage return: they belong to text of several lines.
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The control characters in ``value`` (C0, DEL, C1), each once, in order of appearance.

    With ``multiline``, tab, line feed and carriage return count as text.
    """
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    return list(dict.fromkeys(pattern.findall(value)))


def strip_control_characters(value: str, *, multiline: bool = True) -> str:
    """``value`` without the characters ``control_characters`` finds."""
    return (_CONTROL_MULTILINE if multiline else _CONTROL).sub("", value)


def character_names(characters: list[str]) -> str:
    """Invisible characters made readable for a message: “U+200B ZERO WIDTH SPACE, U+0007”."""
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in characters)


def excerpt(value: str, limit: int = EXCERPT_LENGTH) -> str:
    """``value`` as quoted back in a message: at most ``limit`` characters on one line, invisible ones as �."""
    visible = "".join(_visible(c) for c in value[: limit + 1])
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def _visible(character: str) -> str:
    if character in "\t\n\r":
        return " "
    return "\ufffd" if unicodedata.category(character) in ("Cc", "Cf") else character


def _hidden_characters(value: str) -> list[str]:
    """Control (Cc) and format (Cf: zero-width, soft hyphen, bidi marks) characters, each once."""
    return list(dict.fromkeys(c for c in value if unicodedata.category(c) in ("Cc", "Cf")))


def normalise_email(value: str) -> str:
    """An e-mail address as stored and compared: one spelling for what looks the same.

    NFKC (full-width and other compatibility forms become ASCII), surrounding whitespace removed,
    the domain in lower case (the local part is kept, as Django's ``normalize_email`` does). Refused
    with ``ValidationError``: invisible or control characters anywhere, a local part that is not ASCII
    (Django's validator would accept the look-alikes ı and İ there), and anything Django's
    ``EmailValidator`` refuses.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    hidden = _hidden_characters(text)
    if hidden:
        raise ValidationError(
            _("The email address contains invisible or control characters (%(characters)s); type it again."),
            code="hidden_characters",
            params={"characters": character_names(hidden)},
        )
    local, at, domain = text.rpartition("@")
    if at:
        if not local.isascii():
            raise ValidationError(
                _("Use only Latin letters, digits and . _ - + before the @ of an email address."),
                code="invalid",
            )
        text = f"{local}@{domain.lower()}"
    EmailValidator()(text)
    return text


def normalise_name(value: str) -> str:
    """A person's name as stored: NFKC, inner whitespace (tabs, line breaks too) as single spaces.

    Refused with ``ValidationError``: invisible format characters (zero-width, soft hyphen, bidi
    marks) and control characters other than tab and line breaks.
    """
    text = unicodedata.normalize("NFKC", value)
    hidden = [c for c in _hidden_characters(text) if c not in "\t\n\r"]
    if hidden:
        raise ValidationError(
            _("The name contains invisible or control characters (%(characters)s); type it again."),
            code="hidden_characters",
            params={"characters": character_names(hidden)},
        )
    return " ".join(text.split())
