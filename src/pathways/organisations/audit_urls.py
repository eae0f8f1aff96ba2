"""The organisation's audit trail (owned with audit_views.py)."""

from django.urls import path

from . import audit_views

urlpatterns = [
    path("", audit_views.audit_trail, name="audit-trail"),
    path("export/", audit_views.audit_trail_export, name="audit-export"),
    path("exports/<uuid:job_id>/", audit_views.audit_export_download, name="audit-export-download"),
]
