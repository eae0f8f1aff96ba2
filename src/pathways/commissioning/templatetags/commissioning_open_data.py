"""Template tags of the bidders portal: open_data. Each renders its area's part of a shared page."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from ..ocds.releases import ocid_for

register = template.Library()


@register.simple_tag(takes_context=True)
def open_data_links(context, opportunity) -> str:
    """The opportunity page's links to its open contracting data (OCDS): its record and its releases.
    Only for a published opportunity; a draft has no open data."""
    if not opportunity.is_public:
        return ""
    ocid = ocid_for(opportunity)
    return render_to_string("commissioning/open_data/links.html", {
        "ocid": ocid,
        "record_url": reverse("api-ocds-record", args=[ocid]),
        "releases_url": reverse("api-ocds-process-releases", args=[ocid]),
        "fairness_url": reverse("commissioning:fairness"),
    }, request=context.get("request"))
