"""What every PDF of Concord shares: the fonts, registered once per process, and NFC text.

DejaVu Sans (shipped in ``core/fonts`` with its licence) covers Polish, German, Romanian (ș ț) and
Bulgarian Cyrillic; the 14 standard PDF fonts are Latin-1 only. Text is NFC-normalised before it is
drawn: subsetting drops the positioning of combining accents.
"""

import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "ConcordDejaVuSans", "ConcordDejaVuSans-Bold"


def register_fonts() -> None:
    """Register the fonts once per process: registering again would embed them again in every document."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")
