"""Template tags of the bidders portal: evaluation. Each renders its area's part of a shared page."""

from django import template
from django.template.loader import render_to_string

from ..permissions import evaluation as permissions
from ..selectors import evaluation as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def manage_evaluation_panel(context, opportunity) -> str:
    """The manage page's section on the panel, scoring, inquiries and moderation."""
    user = context["request"].user
    if opportunity.status in permissions.CLOSED_TO_PANEL:
        return ""
    members = list(selectors.panel_active(opportunity))
    return render_to_string("commissioning/evaluation/_manage.html", {
        "opportunity": opportunity, "members": members,
        "declared": sum(1 for m in members if m.declared_no_conflict_at),
        "can_run": permissions.can_run_panel(user, opportunity),
        "can_moderate": permissions.can_moderate(user, opportunity),
        "on_panel": any(m.user_id == user.pk for m in members),
    }, request=context["request"])
