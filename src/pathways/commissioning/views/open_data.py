"""The page that explains the bidders portal's open contracting data and links to it."""

from django.shortcuts import render
from django.urls import reverse

from ..ocds.releases import ocds_prefix


def open_data(request):
    return render(request, "commissioning/open_data/index.html", {
        "prefix": ocds_prefix(),
        "releases_url": reverse("api-ocds-releases"),
    })
