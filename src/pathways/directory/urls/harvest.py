"""Addresses of harvesting another Open Referral UK API."""

from django.urls import path

from ..views import harvest

urlpatterns = [
    path("harvest/", harvest.harvest_start, name="harvest"),
]
