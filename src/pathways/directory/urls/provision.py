"""Addresses of the provision map: pathways by area, the services behind each figure, and downloads."""

from django.urls import path

from ..views import provision

urlpatterns = [
    path("provision/", provision.provision_map, name="provision"),
    path("provision/services/", provision.provision_services, name="provision-services"),
    path("provision/provision-map.csv", provision.provision_export, {"format": "csv"}, name="provision-csv"),
    path("provision/provision-map.xlsx", provision.provision_export, {"format": "xlsx"}, name="provision-xlsx"),
]
