"""The rules every uploaded file follows: a size limit, a clean file name, an allowed extension and
content that is what the extension says (sniffed from its first bytes, not trusted from the browser).

Pure checks over a name, a size and the file's bytes; callers (services) raise what
``upload_problems`` finds as ``ApplicationError`` before anything is stored.
"""

import io
import unicodedata
import zipfile
from collections.abc import Callable, Collection
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.utils.translation import gettext as _

from core.tabular import size_error
from core.text import control_characters, excerpt

MAX_NAME_LENGTH = 80  # FileField keeps 100 characters, its folder included
# How much of the file the content check reads (a zip's central directory is read whole).
_HEAD = 4096


def _zip_with(*members: str) -> Callable[[bytes], bool]:
    """An office document: a zip holding the given member (a prefix such as ``word/`` works too)."""

    def check(content: bytes) -> bool:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        return any(name == m or name.startswith(m) for name in names for m in members)

    return check


def _odt(content: bytes) -> bool:
    # OpenDocument stores its type first, uncompressed, so it shows at a fixed place.
    return content.startswith(b"PK\x03\x04") and b"application/vnd.oasis.opendocument.text" in content[:_HEAD]


def _text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not control_characters(text, multiline=True)


# Extension -> does the content look like it?
SNIFFERS: dict[str, Callable[[bytes], bool]] = {
    "pdf": lambda c: c.startswith(b"%PDF-"),
    "png": lambda c: c.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda c: c.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda c: c.startswith(b"\xff\xd8\xff"),
    "txt": _text,
    "docx": _zip_with("word/document.xml"),
    "xlsx": _zip_with("xl/workbook.xml"),
    "pptx": _zip_with("ppt/presentation.xml"),
    "odt": _odt,
}


def upload_name_clean(name: str) -> str:
    """The file name alone: no folders (either slash), no control or format characters, NFC, at most
    ``MAX_NAME_LENGTH`` characters with its extension kept. Empty when nothing usable is left."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf")).strip().strip(".")
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, extension = base.rpartition(".")
        keep = MAX_NAME_LENGTH - len(extension) - 1
        base = f"{stem[:keep]}.{extension}" if dot and keep > 0 else base[:MAX_NAME_LENGTH]
    return base


def upload_extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def upload_problems(*, name: str, size: int, content: bytes, extensions: Collection[str]) -> list[str]:
    """Everything wrong with an upload (empty when it may be stored). ``name`` is the cleaned name;
    ``content`` the whole file (it is under the size limit once the size is checked)."""
    limit = settings.CONCORD_MAX_UPLOAD_BYTES
    if size > limit:
        return [size_error(size=size, limit=limit)]
    if not name:
        return [_("The file needs a name.")]
    extension = upload_extension(name)
    if extension not in extensions:
        return [
            _("Files ending in .%(extension)s are not accepted; use one of: %(allowed)s.")
            % {"extension": excerpt(extension, 20) or "—", "allowed": ", ".join(sorted(extensions))}
        ]
    if not content:
        return [_("The file is empty.")]
    sniff = SNIFFERS.get(extension)
    if sniff is None or not sniff(content):
        return [
            _("The file's content is not a .%(extension)s file; rename it to what it is or save it again.")
            % {"extension": extension}
        ]
    return []
