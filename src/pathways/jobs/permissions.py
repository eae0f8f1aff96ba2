"""Who may see a job: only the person who started it. Anyone else gets a 404, as for a job that never was."""

from django.http import Http404

from .models import Job


def can_view_job(user, job: Job) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and job.created_by_id == user.pk


def job_get_for_user(*, user, job_id) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not can_view_job(user, job):
        raise Http404("No such job")
    return job
