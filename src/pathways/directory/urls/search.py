"""Addresses of search: the search page at /directory/, its print list, and saved searches."""

from django.urls import path

from ..views import search

urlpatterns = [
    path("", search.service_search_page, name="search"),
    path("print/", search.service_search_print, name="search-print"),
    path("saved-searches/", search.saved_search_list, name="saved-searches"),
    path("saved-searches/new/", search.saved_search_create, name="saved-search-new"),
    path("saved-searches/<int:saved_search_id>/", search.saved_search_edit, name="saved-search"),
    path("saved-searches/<int:saved_search_id>/delete/", search.saved_search_delete, name="saved-search-delete"),
]
