"""Addresses of a service's own pages and of the provider's pages that keep it right."""

from django.urls import path

from ..views import records

urlpatterns = [
    path("services/<uuid:service_id>/", records.service_detail, name="service"),
    path("services/<uuid:service_id>/report/", records.service_report, name="service-report"),
    path("services/<uuid:service_id>/report/sent/", records.service_report_sent, name="service-report-sent"),
    path("services/<uuid:service_id>/versions/", records.service_versions, name="service-versions"),
    path("services/<uuid:service_id>/edit/", records.service_edit, name="service-edit"),
    path("services/<uuid:service_id>/records/", records.service_records, name="service-records"),
    path("services/<uuid:service_id>/publish/", records.service_publication, {"action": "publish"},
         name="service-publish"),
    path("services/<uuid:service_id>/withdraw/", records.service_publication, {"action": "withdraw"},
         name="service-withdraw"),
    path("services/<uuid:service_id>/confirm/", records.service_confirm, name="service-confirm"),
    path("organisations/<slug:slug>/services/", records.organisation_services, name="organisation-services"),
    path("organisations/<slug:slug>/services/add/", records.service_add, name="service-add"),
]

# Locations, times, contacts, funding and work with statutory bodies: add, change and remove each.
for _kind, _related in records.RELATED.items():
    urlpatterns += [
        path(f"services/<uuid:service_id>/{_related.slug}/add/", records.related_add, {"kind": _kind},
             name=f"service-{_kind}-add"),
        path(f"services/<uuid:service_id>/{_related.slug}/<int:record_id>/", records.related_edit, {"kind": _kind},
             name=f"service-{_kind}-edit"),
        path(f"services/<uuid:service_id>/{_related.slug}/<int:record_id>/remove/", records.related_remove,
             {"kind": _kind}, name=f"service-{_kind}-remove"),
    ]
