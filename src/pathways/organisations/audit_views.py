"""The organisation's audit trail: read it, filter it, export it as CSV, download the export.

Reading the trail is not itself recorded; exporting it is (see pathways.audit.services).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pathways.audit.exports import export_file, export_filename
from pathways.audit.selectors import (
    AuditFilters,
    audit_entries_for_organisation,
    audit_trail_kinds,
    audit_trail_people,
)
from pathways.audit.services import audit_export_start
from pathways.jobs.permissions import job_get_for_user

from .audit_forms import AuditTrailFilterForm
from .permissions import can_view_audit_trail, organisation_get_for_member

PAGE_SIZE = 50


def _filter_form(request, organisation) -> AuditTrailFilterForm:
    return AuditTrailFilterForm(
        request.GET,
        people=audit_trail_people(organisation=organisation),
        kinds=audit_trail_kinds(organisation=organisation),
    )


@login_required
@require_GET
def audit_trail(request, slug):
    organisation = organisation_get_for_member(user=request.user, slug=slug, check=can_view_audit_trail)
    form = _filter_form(request, organisation)
    page = page_range = None
    if form.is_valid():
        entries = audit_entries_for_organisation(organisation=organisation, filters=form.filters())
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        page_range = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return render(
        request,
        "organisations/audit/trail.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "page_range": page_range,
            "filtered": form.is_valid() and form.filters() != AuditFilters(),
        },
    )


@login_required
@require_POST
def audit_trail_export(request, slug):
    organisation = organisation_get_for_member(user=request.user, slug=slug, check=can_view_audit_trail)
    form = _filter_form(request, organisation)
    if not form.is_valid():
        # The trail page shows what is wrong with the filters.
        return redirect(reverse("organisations:audit-trail", args=[slug]) + "?" + request.GET.urlencode())
    job = audit_export_start(organisation=organisation, by=request.user, filters=form.filters())
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_GET
def audit_export_download(request, slug, job_id):
    organisation = organisation_get_for_member(user=request.user, slug=slug, check=can_view_audit_trail)
    job = job_get_for_user(user=request.user, job_id=job_id)
    path = export_file(job=job, organisation=organisation)
    if path is None:
        raise Http404("No such export")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=export_filename(job=job), content_type="text/csv"
    )
