"""Pages of the bidders portal: clarifications and sealed bids."""

from django.urls import path

from ..views import bids, clarifications

urlpatterns = [
    path("<uuid:opportunity_id>/clarifications/ask/", clarifications.clarification_ask, name="clarification-ask"),
    path("<uuid:opportunity_id>/clarifications/<int:clarification_id>/answer/", clarifications.clarification_answer,
         name="clarification-answer"),
    path("<uuid:opportunity_id>/bid/start/", bids.bid_start, name="bid-start"),
    path("<uuid:opportunity_id>/bids/open/", bids.bids_open, name="bids-open"),
    path("bids/", bids.bids_mine, name="bids-mine"),
    path("bids/<uuid:bid_id>/", bids.bid_detail, name="bid"),
    path("bids/<uuid:bid_id>/edit/", bids.bid_edit, name="bid-edit"),
    path("bids/<uuid:bid_id>/price/", bids.bid_price_from_calculation, name="bid-price"),
    path("bids/<uuid:bid_id>/attachments/", bids.attachment_add, name="bid-attachment-add"),
    path("bids/<uuid:bid_id>/attachments/<uuid:attachment_id>/", bids.attachment_download, name="bid-attachment"),
    path("bids/<uuid:bid_id>/attachments/<uuid:attachment_id>/remove/", bids.attachment_remove,
         name="bid-attachment-remove"),
    path("bids/<uuid:bid_id>/submit/", bids.bid_submit, name="bid-submit"),
    path("bids/<uuid:bid_id>/receipt/", bids.bid_receipt, name="bid-receipt"),
    path("bids/<uuid:bid_id>/withdraw/", bids.bid_withdraw, name="bid-withdraw"),
    path("bids/<uuid:bid_id>/delete/", bids.bid_delete, name="bid-delete"),
]
