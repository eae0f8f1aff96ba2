"""Periodic tasks of the bidders portal: bids."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="5", minute="10"))
def sweep_plaintext_bid_files() -> int:
    """Delete any bid file no attachment refers to: plaintext left behind if a deletion after a submission
    failed. Daily, early, when few people are bidding."""
    from ..services.bids import plaintext_files_sweep

    return plaintext_files_sweep()
