"""The REST API: each app's endpoints under /api/v1/, the OpenAPI schema at /api/schema/ and its
reference at /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from pathways.commissioning import api as commissioning_api
from pathways.directory import api as directory_api
from pathways.jobs import api as jobs_api
from pathways.organisations import api as organisations_api
from pathways.taxonomy import api as taxonomy_api

from .reference import api_reference

urlpatterns = [
    path("v1/", include(organisations_api.urlpatterns)),
    path("v1/", include(taxonomy_api.urlpatterns)),
    path("v1/", include(jobs_api.urlpatterns)),
    path("v1/", include(directory_api.urlpatterns)),
    path("v1/", include(commissioning_api.urlpatterns)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_reference, name="api-docs"),
]
