"""Background jobs of search: the saved-search alert run."""

from pathways.jobs.registry import job_handler

from ..services.saved_searches import ALERTS_JOB, saved_search_alerts_send


@job_handler(ALERTS_JOB)
def send_search_alerts(job, progress):
    sent = saved_search_alerts_send(progress=progress)
    return {"summary": f"{sent['searches']:,} saved searches due; {sent['emails']:,} emailed about new services."}
