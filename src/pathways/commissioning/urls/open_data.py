"""Pages of the bidders portal: open_data (the fairness figures and the page about open contracting data)."""

from django.urls import path

from ..views import fairness, open_data

urlpatterns = [
    path("fairness/", fairness.fairness_public, name="fairness"),
    path("fairness/figures.csv", fairness.fairness_public_csv, name="fairness-csv"),
    path("fairness/organisations/<slug:slug>/", fairness.fairness_agency, name="fairness-agency"),
    path("fairness/organisations/<slug:slug>/figures.csv", fairness.fairness_agency_csv, name="fairness-agency-csv"),
    path("open-data/", open_data.open_data, name="open-data"),
]
