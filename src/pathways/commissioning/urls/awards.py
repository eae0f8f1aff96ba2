"""Pages of the bidders portal: awards."""

from django.urls import path

from ..views import awards as views

urlpatterns = [
    path("<uuid:opportunity_id>/award/recommend/", views.recommend, name="award-recommend"),
    path("<uuid:opportunity_id>/award/decide/", views.decide, name="award-decide"),
    path("<uuid:opportunity_id>/award/confirm/", views.confirm, name="award-confirm"),
    path("<uuid:opportunity_id>/award/contract/sign/", views.contract_sign, name="award-contract-sign"),
    path("<uuid:opportunity_id>/award/letters/", views.my_letters, name="award-my-letters"),
    path("<uuid:opportunity_id>/award/letters/<int:letter_id>/", views.letter, name="award-letter"),
    path("<uuid:opportunity_id>/award/letters/<int:letter_id>/pdf/", views.letter_pdf, name="award-letter-pdf"),
]
