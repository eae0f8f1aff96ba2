"""Addresses of the spreadsheet import."""

from django.urls import path

from ..views import imports

urlpatterns = [
    path("imports/", imports.import_start, name="import-start"),
    path("imports/template.<str:file_format>", imports.import_template, name="import-template"),
    path("imports/<uuid:import_id>/", imports.import_detail, name="import"),
    path("imports/<uuid:import_id>/import/", imports.import_commit, name="import-commit"),
    path("imports/<uuid:import_id>/discard/", imports.import_discard, name="import-discard"),
    path("imports/<uuid:import_id>/problems.csv", imports.import_problems_csv, name="import-problems"),
]
