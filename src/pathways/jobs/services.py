import logging

from django.db import transaction
from django.utils import timezone

from pathways.core.errors import DomainError

from .models import Job, JobStatus
from .registry import handler_for

logger = logging.getLogger(__name__)


class Progress:
    """What a handler reports through. Writes are throttled so that a tight loop stays cheap."""

    def __init__(self, job: Job, every: int = 1):
        self.job = job
        self.every = max(1, every)

    def set_total(self, total: int) -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total)

    def advance(self, done: int, message: str = "") -> None:
        self.job.done = done
        if done % self.every == 0 or (self.job.total and done >= self.job.total):
            fields = {"done": done}
            if message:
                fields["message"] = message[:300]
            Job.objects.filter(pk=self.job.pk).update(**fields)

    def say(self, message: str) -> None:
        Job.objects.filter(pk=self.job.pk).update(message=message[:300])


def job_start(*, kind: str, title: str, by=None, organisation=None, params: dict | None = None) -> Job:
    """Record a job and queue it once the surrounding transaction commits. Without ``by`` it is a run
    Pathways started on its own schedule."""
    handler_for(kind)  # refuse unknown kinds now, not in the consumer
    job = Job.objects.create(
        kind=kind, title=title, created_by=by, organisation=organisation, params=params or {}, scheduled=by is None
    )
    from .tasks import run_job

    transaction.on_commit(lambda: run_job(str(job.pk)))
    return job


def job_run_now(*, kind: str, title: str, params: dict | None = None) -> Job:
    """Record a run Pathways starts on its own schedule and run it here and now (the caller is already a job
    consumer's periodic task), so that it can be followed and its outcome read like any other job."""
    handler_for(kind)
    job = Job.objects.create(kind=kind, title=title, params=params or {}, scheduled=True)
    return job_run(job_id=job.pk)


def job_run(*, job_id) -> Job:
    """Run a queued job to its end. A DomainError fails the job with its message; anything else
    fails it with a plain message and is logged for operators."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.status = JobStatus.RUNNING
    try:
        # Handlers own their transactions: progress written inside one would be invisible until
        # it committed, so they report while reading and checking, then commit all or nothing.
        result = handler_for(job.kind)(job, Progress(job)) or {}
    except DomainError as error:
        _finish(job, JobStatus.FAILED, error=error.message)
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error="Something went wrong. Nothing was saved. Try again, or ask for help.")
    else:
        _finish(job, JobStatus.SUCCEEDED, result=result)
    job.refresh_from_db()
    return job


def _finish(job: Job, status: JobStatus, *, error: str = "", result: dict | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now(), error=error, result=result or {}
    )
