"""Periodic tasks of the bidders portal: evaluation. Each calls a service and nothing else."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def recheck_panels_after_opening() -> int:
    """Remove, with the reasons, any panel member found to have a stake in a bidder once bids are opened."""
    from ..services.evaluation import panels_recheck_opened

    return panels_recheck_opened()
