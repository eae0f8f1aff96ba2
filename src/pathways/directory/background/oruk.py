"""Background jobs of the Open Referral UK area: harvesting another ORUK API."""

from pathways.jobs.registry import job_handler

from ..oruk.harvest import HARVEST_JOB, oruk_harvest


@job_handler(HARVEST_JOB)
def harvest(job, progress):
    result = oruk_harvest(base_url=job.params["base_url"], by=job.created_by, progress=progress)
    return {"summary": result.summary}
