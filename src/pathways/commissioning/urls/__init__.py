"""The bidders portal's pages, under /opportunities/. Publishing and help are here; every other area
keeps its addresses in its own module in this package."""

from django.urls import path

from ..views import help as help_views
from ..views import manage, public
from . import awards, bids, evaluation, market, open_data

app_name = "commissioning"

public_urlpatterns = [
    path("", public.opportunity_list, name="opportunities"),
    path("<uuid:opportunity_id>/", public.opportunity_detail, name="opportunity"),
    path("<uuid:opportunity_id>/documents/<int:document_id>/", public.opportunity_document,
         name="opportunity-document"),
]

manage_urlpatterns = [
    path("yours/", manage.mine, name="mine"),
    path("organisations/<slug:slug>/", manage.organisation_opportunities, name="organisation-opportunities"),
    path("organisations/<slug:slug>/new/", manage.opportunity_create, name="opportunity-create"),
    path("<uuid:opportunity_id>/manage/", manage.opportunity_manage, name="opportunity-manage"),
    path("<uuid:opportunity_id>/edit/", manage.opportunity_edit, name="opportunity-edit"),
    path("<uuid:opportunity_id>/lots/add/", manage.lot_edit, name="lot-add"),
    path("<uuid:opportunity_id>/lots/<int:lot_id>/", manage.lot_edit, name="lot-edit"),
    path("<uuid:opportunity_id>/lots/<int:record_id>/remove/", manage.remove, {"kind": "lot"}, name="lot-remove"),
    path("<uuid:opportunity_id>/criteria/add/", manage.criterion_edit, name="criterion-add"),
    path("<uuid:opportunity_id>/criteria/<int:criterion_id>/", manage.criterion_edit, name="criterion-edit"),
    path("<uuid:opportunity_id>/criteria/<int:record_id>/remove/", manage.remove, {"kind": "criterion"},
         name="criterion-remove"),
    path("<uuid:opportunity_id>/documents/add/", manage.document_add, name="document-add"),
    path("<uuid:opportunity_id>/documents/<int:record_id>/remove/", manage.remove, {"kind": "document"},
         name="document-remove"),
    path("<uuid:opportunity_id>/publish/", manage.opportunity_publish, {"action": "publish"},
         name="opportunity-publish"),
    path("<uuid:opportunity_id>/open/", manage.opportunity_publish, {"action": "open"}, name="opportunity-open"),
    path("<uuid:opportunity_id>/cancel/", manage.opportunity_cancel, name="opportunity-cancel"),
    path("<uuid:opportunity_id>/evaluation/", manage.opportunity_evaluation, name="opportunity-evaluation"),
]

help_urlpatterns = [
    path("help/", help_views.help_index, name="help"),
    path("help/glossary/", help_views.glossary, name="glossary"),
    path("help/full-cost/", help_views.calculator, name="calculator"),
    path("help/readiness/", help_views.readiness_mine, name="readiness-mine"),
    path("help/<slug:slug>/", help_views.guide, name="guide"),
    path("organisations/<slug:slug>/readiness/", help_views.readiness_checklist, name="readiness"),
    path("organisations/<slug:slug>/full-cost/", help_views.calculations, name="calculations"),
    path("organisations/<slug:slug>/full-cost/<int:calculation_id>/", help_views.calculation_detail,
         name="calculation"),
]

urlpatterns = [
    *public_urlpatterns,
    *manage_urlpatterns,
    *help_urlpatterns,
    *market.urlpatterns,
    *bids.urlpatterns,
    *evaluation.urlpatterns,
    *awards.urlpatterns,
    *open_data.urlpatterns,
]
