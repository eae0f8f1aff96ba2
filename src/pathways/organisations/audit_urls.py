"""The organisation's audit trail (owned with audit_views.py)."""

from django.urls import path

from . import audit_views

urlpatterns = [
    path("", audit_views.audit_trail, name="audit-trail"),
]
