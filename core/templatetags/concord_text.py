"""The |guide_text filter: Markdown guide text (materials, tips, briefings, injects) as safe HTML."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.markup import guide_text_render

register = template.Library()


@register.filter
def guide_text(value: object) -> SafeString:
    # guide_text_render escapes raw HTML and nh3 keeps only an allow-list, so the result is safe to mark.
    return mark_safe(guide_text_render(text="" if value is None else str(value)))  # noqa: S308


@register.filter
def email_breaks(value: object) -> SafeString:
    """An e-mail address that may wrap only after its @ and before a dot of its domain (``<wbr>``)."""
    local, at, domain = conditional_escape("" if value is None else str(value)).rpartition("@")
    if not at:
        return mark_safe(domain)  # noqa: S308 - escaped above
    return mark_safe(f"{local}@<wbr>{domain.replace('.', '<wbr>.')}")  # noqa: S308 - escaped above
