from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(duration: timedelta) -> int:
    """A duration in whole minutes, for sentences such as 'for the next 15 minutes'."""
    return int(duration.total_seconds() // 60)
