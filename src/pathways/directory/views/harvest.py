"""The curator's page for harvesting another Open Referral UK API: give its address, start the job,
follow it on the jobs pages. Signing in comes first; anyone who is not a curator is refused (403)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pathways.core.errors import DomainError

from .. import permissions
from ..forms.harvest import HarvestForm
from ..oruk.harvest import harvests_recent_for_user, oruk_harvest_start


@login_required
@require_http_methods(["GET", "POST"])
def harvest_start(request):
    if not permissions.can_curate(request.user):
        raise PermissionDenied
    form = HarvestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            job = oruk_harvest_start(base_url=form.cleaned_data["base_url"], by=request.user)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("jobs:detail", job_id=job.pk)
    return render(request, "directory/harvest/start.html", {
        "form": form,
        "harvests": harvests_recent_for_user(user=request.user),
    })
