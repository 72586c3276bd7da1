"""Small presentation helpers shared by Concord's templates."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes(value: int | None) -> str:
    """A number of minutes as people say it: "45 min", "2 h", "1 h 30 min"."""
    if value is None or value == "":
        return ""
    total = int(value)
    hours, rest = divmod(total, 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
