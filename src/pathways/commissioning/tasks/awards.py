"""Periodic tasks of the bidders portal: awards. Each calls a service and nothing else."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def confirm_awards_after_standstill() -> int:
    """Confirm each award whose standstill has ended, and hand its contract to the contracting cycle."""
    from ..services.awards import awards_confirm_due

    return awards_confirm_due()
