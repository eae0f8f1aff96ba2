"""Addresses of change requests and of the curator's queue."""

from django.urls import path

from ..views import curation

urlpatterns = [
    path("change-requests/", curation.change_requests, name="change-requests"),
    path("change-requests/<int:change_request_id>/", curation.change_request_decide, name="change-request"),
    path("organisations/<slug:slug>/change-requests/", curation.organisation_change_requests,
         name="organisation-change-requests"),
    path("curation/", curation.curation_queue, name="curation-queue"),
    path("curation/<slug:section>/", curation.curation_list, name="curation-list"),
    path("services/<uuid:service_id>/verify/", curation.service_verify, name="service-verify"),
]
