"""A mixed team's positions written as text (the plan form and the master events list), and back. Pure.

One position a line (or separated by ``;``): ``name: agency kind`` with an optional ``: seats``, e.g.
``Investigator: police: 2``. The agency kind is its value or its label, in any case.
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.text import excerpt
from exercises.plans import PositionInput
from trainings.models import AgencyKind

_ENTRIES = re.compile(r"[;\n\r]+")
_DIGITS = re.compile(r"[0-9]+")


def agency_kind_value(text: str) -> str | None:
    """The AgencyKind value ``text`` names (its value or label, any case), or None."""
    folded = text.strip().casefold()
    for value, label in AgencyKind.choices:
        if folded in (str(value).casefold(), str(label).casefold()):
            return str(value)
    return None


def positions_parse(text: str) -> list[PositionInput]:
    """``"Investigator: police: 2; Social worker: social_services"`` -> positions; ValueError with a message."""
    positions: list[PositionInput] = []
    for entry in (e.strip() for e in _ENTRIES.split(text or "")):
        if not entry:
            continue
        seats = 1
        rest, _sep, last = entry.rpartition(":")
        if rest.count(":") >= 1 and _DIGITS.fullmatch(last.strip()):
            seats, entry = int(last.strip()), rest
        name, _sep, kind_text = entry.rpartition(":")
        name, kind_text = name.strip(), kind_text.strip()
        if not name:
            raise ValueError(
                _("Write each position as “name: agency kind” or “name: agency kind: seats”, not “%(entry)s”.")
                % {"entry": excerpt(entry)}
            )
        kind = agency_kind_value(kind_text)
        if kind is None:
            raise ValueError(
                _("Unknown agency kind “%(value)s”; use one of: %(choices)s.")
                % {"value": excerpt(kind_text), "choices": ", ".join(str(v) for v in AgencyKind.values)}
            )
        positions.append(PositionInput(name=name, agency_kind=kind, seats=seats))
    return positions


def positions_text(positions: Iterable[PositionInput]) -> str:
    """The positions as ``positions_parse`` reads them, one a line."""
    return "\n".join(f"{p.name}: {p.agency_kind}" + (f": {p.seats}" if p.seats != 1 else "") for p in positions)
