"""Reading jobs."""

from .models import Job

RECENT = 50


def jobs_recent_for_user(*, user, limit: int = RECENT) -> list[Job]:
    """The jobs the person started, newest first."""
    return list(Job.objects.filter(created_by=user).order_by("-created_at")[:limit])


def system_jobs_recent(*, limit: int = RECENT) -> list[Job]:
    """The runs Pathways started on its own schedule, newest first (for operators)."""
    return list(Job.objects.filter(scheduled=True).order_by("-created_at")[:limit])


def job_progress(job: Job) -> dict:
    """How far a job has gone, in the shape the progress API returns and the page's script reads."""
    return {
        "id": str(job.pk),
        "title": job.title,
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.is_finished,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "result": job.result,
    }
