"""Pages of the bidders portal: awards."""

from django.urls import path

from ..views import awards as views

urlpatterns = [
    path("<uuid:opportunity_id>/award/recommend/", views.recommend, name="award-recommend"),
    path("<uuid:opportunity_id>/award/decide/", views.decide, name="award-decide"),
    path("<uuid:opportunity_id>/award/confirm/", views.confirm, name="award-confirm"),
    path("<uuid:opportunity_id>/award/contract/sign/", views.contract_sign, name="award-contract-sign"),
    # An opportunity with lots is awarded lot by lot: the same pages, for one lot.
    path("<uuid:opportunity_id>/lots/<int:lot_number>/award/recommend/", views.recommend, name="award-recommend-lot"),
    path("<uuid:opportunity_id>/lots/<int:lot_number>/award/decide/", views.decide, name="award-decide-lot"),
    path("<uuid:opportunity_id>/lots/<int:lot_number>/award/confirm/", views.confirm, name="award-confirm-lot"),
    path("<uuid:opportunity_id>/lots/<int:lot_number>/award/contract/sign/", views.contract_sign,
         name="award-contract-sign-lot"),
    path("<uuid:opportunity_id>/lots/<int:lot_number>/award/none/", views.lot_not_awarded,
         name="award-lot-not-awarded"),
    path("<uuid:opportunity_id>/award/letters/", views.my_letters, name="award-my-letters"),
    path("<uuid:opportunity_id>/award/letters/<int:letter_id>/", views.letter, name="award-letter"),
    path("<uuid:opportunity_id>/award/letters/<int:letter_id>/pdf/", views.letter_pdf, name="award-letter-pdf"),
]
