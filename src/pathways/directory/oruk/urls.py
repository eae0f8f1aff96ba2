"""The Open Referral UK 3.0 read API under /api/openreferral/v3/ (with or without a trailing slash)."""

from django.urls import re_path

from . import views

app_name = "oruk"

ID = r"(?P<{}>[^/]+)"

urlpatterns = [
    re_path(r"^$", views.api_root, name="root"),
    re_path(r"^openapi\.json$", views.openapi_document, name="openapi"),
    re_path(r"^services/?$", views.service_list, name="services"),
    re_path(rf"^services/{ID.format('service_id')}/?$", views.service_detail, name="service"),
    re_path(r"^service_at_locations/?$", views.service_at_location_list, name="service-at-locations"),
    re_path(rf"^service_at_locations/{ID.format('sal_id')}/?$", views.service_at_location_detail, name="service-at-location"),
    re_path(r"^taxonomies/?$", views.taxonomy_list, name="taxonomies"),
    re_path(rf"^taxonomies/{ID.format('taxonomy_id')}/?$", views.taxonomy_detail, name="taxonomy"),
    re_path(r"^taxonomy_terms/?$", views.taxonomy_term_list, name="taxonomy-terms"),
    re_path(rf"^taxonomy_terms/{ID.format('term_id')}/?$", views.taxonomy_term_detail, name="taxonomy-term"),
]
