"""Background job handlers of the bidders portal: market. The alert and digest runs are jobs, so that
operators can follow them and read how each ended."""

from datetime import datetime

from pathways.jobs.registry import job_handler

from ..services.market import ALERTS_JOB, DIGESTS_JOB, alerts_send, digests_send


def _now(job) -> datetime | None:
    moment = job.params.get("now")
    return datetime.fromisoformat(moment) if moment else None


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@job_handler(ALERTS_JOB)
def send_alerts(job, progress):
    sent = alerts_send(now=_now(job), progress=progress)
    return {"sent": sent, "summary": f"{_plural(sent, 'alert')} about new opportunities sent."}


@job_handler(DIGESTS_JOB)
def send_digests(job, progress):
    sent = digests_send(now=_now(job), progress=progress)
    return {"sent": sent, "summary": f"{_plural(sent, 'weekly digest')} sent."}
