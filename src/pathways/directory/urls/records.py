"""Addresses of a service's own pages."""

from django.urls import path

from ..views import records

urlpatterns = [
    path("services/<uuid:service_id>/", records.service_detail, name="service"),
]
