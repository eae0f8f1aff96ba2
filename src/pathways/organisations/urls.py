from django.urls import include, path

from . import audit_urls, views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/audit/", include(audit_urls)),
]
