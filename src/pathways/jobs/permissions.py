"""Who may see a job: the person who started it. A run Pathways starts on its own schedule (alerts, digests,
reminders: no one started it) is seen by the operators, who may use the admin site. Anyone else gets a 404, as
for a job that never was."""

from django.http import Http404

from .models import Job


def can_view_system_jobs(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.is_staff


def can_view_job(user, job: Job) -> bool:
    if job.scheduled:
        return can_view_system_jobs(user)
    return getattr(user, "is_authenticated", False) and user.is_active and job.created_by_id == user.pk


def job_get_for_user(*, user, job_id) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not can_view_job(user, job):
        raise Http404("No such job")
    return job
