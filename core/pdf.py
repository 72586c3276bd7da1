"""What every PDF of Concord shares: the fonts, registered once per process, and NFC text.

DejaVu Sans and DejaVu Serif Bold (shipped in ``core/fonts`` with their licence) cover Polish, German,
Romanian (ș ț) and Bulgarian Cyrillic; the 14 standard PDF fonts are Latin-1 only. Text is
NFC-normalised before it is drawn: subsetting drops the positioning of combining accents.
"""

import threading
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "ConcordDejaVuSans", "ConcordDejaVuSans-Bold"
SERIF_BOLD = "ConcordDejaVuSerif-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", SERIF_BOLD: "DejaVuSerif-Bold.ttf"}
_lock = threading.Lock()


def register_fonts() -> None:
    """Register the fonts once per process: registering again would embed them again in every document."""
    registered = pdfmetrics.getRegisteredFontNames()
    if all(name in registered for name in _FILES):
        return
    with _lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for name, filename in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONTS / filename)))


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")
