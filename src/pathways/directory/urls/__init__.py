"""The knowledge base's pages under /directory/: each area keeps its addresses in its own module."""

from . import curation, good_practice, harvest, imports, provision, records, search

app_name = "directory"

urlpatterns = [
    *search.urlpatterns,
    *records.urlpatterns,
    *curation.urlpatterns,
    *imports.urlpatterns,
    *provision.urlpatterns,
    *good_practice.urlpatterns,
    *harvest.urlpatterns,
]
