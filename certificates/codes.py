"""Verification codes: random, unguessable, easy to read aloud and to type (pure, no ORM).

16 characters of Crockford's base32 (80 random bits from ``secrets``), in groups of four:
``K7QD-3M9X-AB12-ZZ90``. Typed codes are read leniently: any case, spaces or hyphens anywhere,
O for 0 and I or L for 1.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 16
GROUP = 4
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-]+")
FORMAT = re.compile(rf"^[{ALPHABET}]{{{GROUP}}}(-[{ALPHABET}]{{{GROUP}}}){{{LENGTH // GROUP - 1}}}$")


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return _grouped(raw)


def normalise_code(typed: str) -> str | None:
    """The code as stored, from what someone typed or scanned; None when it cannot be one."""
    raw = _SEPARATORS.sub("", (typed or "")[:64]).upper().translate(_LOOKALIKES)
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return _grouped(raw)


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))
