"""Pages of the bidders portal: market (interests, the partner finder, the approved list, invitations, consortia)."""

from django.urls import path

from ..views import market

urlpatterns = [
    path("interests/", market.interests_mine, name="interests-mine"),
    path("organisations/<slug:slug>/interests/", market.interest_profile, name="interest-profile"),
    path("<uuid:opportunity_id>/interest/", market.opportunity_interest, name="opportunity-interest"),
    path("<uuid:opportunity_id>/partners/", market.partner_finder, name="partner-finder"),
    path("<uuid:opportunity_id>/invitations/", market.opportunity_invite, name="opportunity-invite"),
    path("<uuid:opportunity_id>/consortia/new/", market.consortium_create, name="consortium-create"),
    path("consortia/<int:consortium_id>/", market.consortium_detail, name="consortium"),
    path("consortia/<int:consortium_id>/agreement/", market.consortium_document, name="consortium-document"),
    path("approved-list/", market.applications_mine, name="approved-list-mine"),
    path("organisations/<slug:slug>/applications/", market.approval_applications, name="approval-applications"),
    path("organisations/<slug:slug>/applications/<int:entry_id>/", market.approval_application,
         name="approval-application"),
    path("organisations/<slug:slug>/approved-list/", market.approved_list, name="approved-list"),
    path("organisations/<slug:slug>/approved-list/<int:entry_id>/", market.approval_review, name="approval-review"),
    path("approved-list/<int:entry_id>/evidence/<int:evidence_id>/", market.evidence_file, name="approval-evidence"),
]
