"""Background job handlers of the bidders portal: bids."""

from pathways.jobs.registry import job_handler

from ..services.bids import PLAINTEXT_SWEEP_JOB, plaintext_files_sweep


@job_handler(PLAINTEXT_SWEEP_JOB)
def sweep_plaintext_bid_files(job, progress):
    deleted = plaintext_files_sweep()
    return {"summary": f"{deleted:,} leftover bid file{'' if deleted == 1 else 's'} deleted."}
