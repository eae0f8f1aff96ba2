"""Background jobs of a service's record: the daily reminders to providers before records go stale."""

from pathways.jobs.registry import job_handler

from ..services.reminders import STALE_REMINDERS_JOB, stale_reminders_send


@job_handler(STALE_REMINDERS_JOB)
def send_stale_reminders(job, progress):
    reminded = stale_reminders_send()
    return {"summary": f"{reminded:,} record{'' if reminded == 1 else 's'} reminded about."}
