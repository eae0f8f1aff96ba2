"""Addresses of the good-practice bank."""

from django.urls import path

from ..views import good_practice as views

urlpatterns = [
    path("good-practice/", views.good_practice_list, name="good-practice-list"),
    path("good-practice/new/", views.good_practice_create, name="good-practice-new"),
    path("good-practice/yours/", views.good_practice_yours, name="good-practice-yours"),
    path("good-practice/review/", views.good_practice_queue, name="good-practice-queue"),
    path("good-practice/<int:good_practice_id>/", views.good_practice_detail, name="good-practice"),
    path("good-practice/<int:good_practice_id>/edit/", views.good_practice_edit, name="good-practice-edit"),
    path("good-practice/<int:good_practice_id>/submit/", views.good_practice_submit, name="good-practice-submit"),
    path("good-practice/<int:good_practice_id>/review/", views.good_practice_review, name="good-practice-review"),
]
