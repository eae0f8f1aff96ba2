"""Pathways' own URLs plus two that fail, to show the error pages people would see."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from pathways.urls import urlpatterns as pathways_urlpatterns


def fails(request):
    raise RuntimeError("Something went wrong on the server")


def refuses(request):
    raise PermissionDenied


urlpatterns = [
    path("fails/", fails),
    path("refuses/", refuses),
    *pathways_urlpatterns,
]
