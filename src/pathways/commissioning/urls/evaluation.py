"""Pages of the bidders portal: evaluation."""

from django.urls import path

from ..views import evaluation as views

urlpatterns = [
    path("panels/", views.mine, name="evaluation-mine"),
    path("<uuid:opportunity_id>/evaluation/panel/", views.panel, name="evaluation-panel"),
    path("<uuid:opportunity_id>/evaluation/panel/<int:member_id>/remove/", views.panel_remove,
         name="evaluation-panel-remove"),
    path("<uuid:opportunity_id>/evaluation/scoring/", views.scoring, name="evaluation-scoring"),
    path("<uuid:opportunity_id>/evaluation/bids/<uuid:bid_id>/", views.bid_detail, name="evaluation-bid"),
    path("<uuid:opportunity_id>/evaluation/moderation/", views.moderation, name="evaluation-moderation"),
    path("<uuid:opportunity_id>/evaluation/bids/<uuid:bid_id>/moderate/<int:criterion_id>/", views.moderate,
         name="evaluation-moderate"),
    path("<uuid:opportunity_id>/evaluation/bids/<uuid:bid_id>/inquiries/add/", views.inquiry_add,
         name="evaluation-inquiry-add"),
    path("<uuid:opportunity_id>/evaluation/questions/", views.questions, name="evaluation-questions"),
]
