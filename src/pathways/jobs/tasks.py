"""The one Huey task: run a job by id. All the work is in services and handlers."""

from huey.contrib.djhuey import db_task


@db_task()
def run_job(job_id: str) -> None:
    from .services import job_run

    job_run(job_id=job_id)
