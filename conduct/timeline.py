"""A run's timeline: one list, in time order, of everything that happened in it. No ORM here;
``conduct.selectors.run_timeline`` turns each kind of row into entries and merges them with ``timeline_merge``."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, Promise] = {
    "start": _("Run started"),
    "advance": _("Next phase"),
    "pause": _("Paused"),
    "resume": _("Resumed"),
    "extend": _("Phase extended"),
    "finish": _("Run finished"),
    "released": _("Inject released"),
    "skipped": _("Inject skipped"),
    "acknowledged": _("Inject acknowledged"),
    "message": _("Message sent"),
    "read": _("Message read"),
    "reply": _("Message answered"),
    "observation": _("Observation"),
}
# The order of entries that share a second: the clock first, then what it released, then the answers.
RANK = {kind: index for index, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened. ``actor`` did it (a person, a team, a cell role); ``parties`` are the other
    side (the teams an inject went to, a message's addressees); ``ref`` is the id of the row it comes from."""

    at: dt.datetime
    kind: str
    subject: str
    actor: str = ""
    parties: tuple[str, ...] = ()
    phase: str = ""
    detail: str = ""
    ref: int = 0

    @property
    def label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


def timeline_merge(*streams: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """All entries in time order; at the same moment, in the order of ``KINDS``, then by row id."""
    entries = [entry for stream in streams for entry in stream]
    return sorted(entries, key=lambda e: (e.at, RANK.get(e.kind, len(RANK)), e.ref))
