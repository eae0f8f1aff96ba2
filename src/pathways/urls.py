from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pathways.web.urls")),
    path("organisations/", include("pathways.organisations.urls")),
    path("taxonomy/", include("pathways.taxonomy.urls")),
    path("directory/", include("pathways.directory.urls")),
    path("opportunities/", include("pathways.commissioning.urls")),
    path("jobs/", include("pathways.jobs.urls")),
    path("api/openreferral/v3/", include("pathways.directory.oruk.urls")),
    path("api/", include("pathways.api.urls")),
    path("admin/", admin.site.urls),
]
