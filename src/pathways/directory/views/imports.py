"""Pages of the spreadsheet import: the template, the upload, the preview, the commit and its outcome.

Each page asks permissions.imports and calls a service of services.spreadsheet; an upload is reached
only by the person who made it (anyone else gets a 404).
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pathways.audit.exports import safe_cell
from pathways.core.errors import DomainError
from pathways.jobs.models import Job

from ..permissions import imports as import_permissions
from ..forms.imports import SpreadsheetUploadForm
from ..selectors.imports import import_template_lists
from ..services import spreadsheet
from ..services.spreadsheet_columns import COLUMNS
from ..services.spreadsheet_files import IMPORT_MAX_ROWS, ImportState, template_csv, template_xlsx

# The preview shows this many problems (and of each kind of change); the rest are in the CSV of problems.
SHOWN = 500
TEMPLATE_NAME = "pathways-services-template"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _after_upload(spreadsheet_import):
    """A large file's job page shows the check's progress; a small file's preview is ready."""
    if spreadsheet_import.state in (ImportState.CHECKING, ImportState.COMMITTING) and spreadsheet_import.job_id:
        return redirect("jobs:detail", job_id=spreadsheet_import.job_id)
    return redirect("directory:import", import_id=spreadsheet_import.id)


def _start_context(request, form) -> dict:
    user = request.user
    return {
        "form": form,
        "columns": COLUMNS,
        "curator": import_permissions.can_import_for_any_organisation(user),
        "managed": import_permissions.organisations_managed_by(user),
        "background_rows": spreadsheet.background_rows(),
        "max_rows": IMPORT_MAX_ROWS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    import_permissions.require_import(request.user)
    replaces = None
    if request.method == "POST" and request.POST.get("replaces"):
        try:
            replaces = import_permissions.import_get_for_user(user=request.user, import_id=request.POST["replaces"])
        except Http404:
            replaces = None
    posted = request.method == "POST"
    form = SpreadsheetUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            spreadsheet_import = spreadsheet.spreadsheet_import_upload(
                uploaded_file=form.cleaned_data["file"], by=request.user, acting_for=request.acting_for,
                replaces=replaces,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _after_upload(spreadsheet_import)
    return render(request, "directory/imports/start.html", _start_context(request, form))


@login_required
@require_GET
def import_template(request, file_format):
    import_permissions.require_import(request.user)
    if file_format == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif file_format == "xlsx":
        organisations = import_permissions.organisations_importable_by(request.user)
        response = HttpResponse(template_xlsx(lists=import_template_lists(organisations=organisations)),
                                content_type=XLSX_TYPE)
    else:
        raise Http404("No such template")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}.{file_format}"'
    return response


def _job(request, spreadsheet_import):
    if not spreadsheet_import.job_id:
        return None
    return Job.objects.filter(pk=spreadsheet_import.job_id, created_by=request.user).first()


@login_required
@require_GET
def import_detail(request, import_id):
    spreadsheet_import = import_permissions.import_get_for_user(user=request.user, import_id=import_id)
    preview = spreadsheet_import.preview or {}
    problems = preview.get("problems", [])
    context = {
        "spreadsheet_import": spreadsheet_import,
        "preview": preview,
        "problems": problems[:SHOWN],
        "problems_hidden": max(0, len(problems) - SHOWN),
        "new": preview.get("new", [])[:SHOWN],
        "new_hidden": max(0, len(preview.get("new", [])) - SHOWN),
        "updated": preview.get("updated", [])[:SHOWN],
        "updated_hidden": max(0, len(preview.get("updated", [])) - SHOWN),
        "unchanged": preview.get("unchanged", [])[:SHOWN],
        "outcome": spreadsheet_import.outcome,
        "job": _job(request, spreadsheet_import),
        "form": SpreadsheetUploadForm(label="Choose the corrected file"),
        "summary": spreadsheet.preview_summary(preview) if preview else "",
    }
    return render(request, "directory/imports/detail.html", context)


@login_required
@require_POST
def import_commit(request, import_id):
    spreadsheet_import = import_permissions.import_get_for_user(user=request.user, import_id=import_id)
    try:
        spreadsheet_import = spreadsheet.spreadsheet_import_commit_start(
            spreadsheet_import=spreadsheet_import, by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("directory:import", import_id=spreadsheet_import.id)
    return _after_upload(spreadsheet_import)


@login_required
@require_POST
def import_discard(request, import_id):
    spreadsheet_import = import_permissions.import_get_for_user(user=request.user, import_id=import_id)
    try:
        spreadsheet.spreadsheet_import_discard(spreadsheet_import=spreadsheet_import, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("directory:import", import_id=spreadsheet_import.id)
    messages.success(request, f"{spreadsheet_import.file_name} was removed. Nothing was imported.")
    return redirect("directory:import-start")


@login_required
@require_GET
def import_problems_csv(request, import_id):
    spreadsheet_import = import_permissions.import_get_for_user(user=request.user, import_id=import_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-problems.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["Row", "Column", "Problem"])
    for problem in spreadsheet_import.problems:
        writer.writerow([problem["row"] or "", safe_cell(problem["column"] or ""), safe_cell(problem["message"])])
    return response
