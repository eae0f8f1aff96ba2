from django.urls import include, path

from . import audit_urls, views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/team/invite/", views.invitation_send, name="invite"),
    path(
        "<slug:slug>/team/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("<slug:slug>/team/<int:membership_id>/end/", views.membership_end, name="membership-end"),
    path("<slug:slug>/audit/", include(audit_urls)),
]
