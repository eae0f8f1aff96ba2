from django.urls import reverse

from pathways.organisations.permissions import member_organisation_ids

from .navigation import nav_items_for


def shell(request):
    if not hasattr(request, "user"):
        return {}
    return {
        "nav_items": nav_items_for(request),
        "can_switch_organisation": len(member_organisation_ids(request.user)) > 1,
        "api_docs_url": reverse("api-docs"),
    }
