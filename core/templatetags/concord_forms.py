"""Form helpers for templates: labels without Django's default colon.

Every form field on the site goes through ``includes/_field.html`` (allauth's ``fields`` element too),
so the label suffix is dropped there once, for our forms and for allauth's alike.
"""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def label_plain(field: BoundField) -> SafeString:
    """The field's ``<label>`` without a suffix (Django adds a translated ":" by default)."""
    return field.label_tag(label_suffix="")


@register.filter
def legend_plain(field: BoundField) -> SafeString:
    """The ``<legend>`` of a group of checkboxes or radio buttons, without a suffix either."""
    return field.legend_tag(label_suffix="")
