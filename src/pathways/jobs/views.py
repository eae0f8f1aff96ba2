from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .permissions import can_view_system_jobs, job_get_for_user
from .selectors import jobs_recent_for_user, system_jobs_recent


@login_required
@require_GET
def job_list(request):
    """The person's own jobs; for operators, also the runs Pathways started on its own schedule."""
    scheduled = system_jobs_recent() if can_view_system_jobs(request.user) else None
    return render(request, "jobs/job_list.html", {
        "jobs": jobs_recent_for_user(user=request.user), "scheduled": scheduled,
    })


@login_required
@require_GET
def job_detail(request, job_id):
    job = job_get_for_user(user=request.user, job_id=job_id)
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "progress_url": reverse("api-job-detail", args=[job.pk])},
    )
