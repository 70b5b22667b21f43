"""Form widget helpers: a select box's options written in Python, not by the template engine.

Django renders every ``<option>`` through a template include, and even one template loop
costs some 20 µs an option in the template engine: the 57 municipalities, the languages and
the locations made the select boxes a sizeable part of the reception console and the booking
form. ``select_options`` writes the same markup (Django's ``select_option.html``; the option's
attributes by ``django.forms.utils.flatatt``) in one pass."""

from django import template
from django.forms.utils import flatatt
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def select_options(widget: dict) -> str:
    """The ``<option>`` (and ``<optgroup>``) elements of a select widget's context."""
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(option["value"]),
                    flatatt(option["attrs"]),
                    conditional_escape(localize(option["label"])),
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))
