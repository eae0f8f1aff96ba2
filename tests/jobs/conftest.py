import pytest

from pathways.core.errors import DomainError
from pathways.jobs.models import Job, JobStatus
from pathways.jobs.registry import job_handler


@job_handler("tests.refused")
def refused(job, progress):
    progress.set_total(3)
    progress.advance(1)
    raise DomainError("The file had no rows we could read. Check it is a CSV file and try again.")


@job_handler("tests.crashes")
def crashes(job, progress):
    raise ValueError("a bug")


@pytest.fixture
def running_job(manager, charity):
    return Job.objects.create(
        kind="audit.export",
        title="Export of the audit trail of Aire Valley Resettlement Trust",
        created_by=manager,
        organisation=charity,
        status=JobStatus.RUNNING,
        done=3,
        total=10,
        message="Written 3 of 10 entries",
    )
