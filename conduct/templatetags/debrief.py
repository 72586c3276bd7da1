"""Durations for the debrief pages: seconds as minutes and seconds (``75`` → "1 min 15 s")."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """Whole seconds (a median may end in .5, rounded down) as hours, minutes and seconds; "–" for none."""
    if seconds is None or seconds == "":
        return "–"
    value = int(seconds)
    sign = "−" if value < 0 else ""
    value = abs(value)
    hours, rest = divmod(value, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return sign + _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}
    if minutes and secs:
        return sign + _("%(m)s min %(s)02d s") % {"m": minutes, "s": secs}
    if minutes:
        return sign + _("%(m)s min") % {"m": minutes}
    return sign + _("%(s)s s") % {"s": secs}
