"""{% load audit_changes %} then {% for line in entry.changes|change_lines %}."""

from django import template

from pathways.audit import formatting

register = template.Library()


@register.filter
def change_lines(changes: dict) -> list[formatting.ChangeLine]:
    return formatting.change_lines(changes)
