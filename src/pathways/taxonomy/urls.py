from django.urls import path

from . import views

app_name = "taxonomy"

urlpatterns = [
    path("", views.lists, name="lists"),
    path("vocabularies/<slug:code>/", views.vocabulary_detail, name="vocabulary"),
    path("vocabularies/<slug:code>/add/", views.term_add, name="term-add"),
    path("terms/<slug:code>/change/", views.term_edit, name="term-edit"),
    path("terms/<slug:code>/retire/", views.term_retire, name="term-retire"),
    path("terms/<slug:code>/reinstate/", views.term_reinstate, name="term-reinstate"),
    path("places/", views.place_list, name="places"),
    path("places/add/", views.place_add, name="place-add"),
    path("places/<int:place_id>/change/", views.place_edit, name="place-edit"),
    path("places/<int:place_id>/retire/", views.place_retire, name="place-retire"),
    path("places/<int:place_id>/reinstate/", views.place_reinstate, name="place-reinstate"),
    path("organisation-types/", views.organisation_type_list, name="organisation-types"),
    path("organisation-types/add/", views.organisation_type_add, name="organisation-type-add"),
    path("organisation-types/<slug:code>/change/", views.organisation_type_edit, name="organisation-type-edit"),
    path("organisation-types/<slug:code>/retire/", views.organisation_type_retire, name="organisation-type-retire"),
    path(
        "organisation-types/<slug:code>/reinstate/", views.organisation_type_reinstate,
        name="organisation-type-reinstate",
    ),
    path("roles/", views.role_list, name="roles"),
    path("roles/add/", views.role_add, name="role-add"),
    path("roles/<slug:code>/change/", views.role_edit, name="role-edit"),
    path("roles/<slug:code>/retire/", views.role_retire, name="role-retire"),
    path("roles/<slug:code>/reinstate/", views.role_reinstate, name="role-reinstate"),
]
