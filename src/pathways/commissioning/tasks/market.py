"""Periodic tasks of the bidders portal: market. Each calls a service and nothing else."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def send_opportunity_alerts() -> int:
    """Every five minutes: tell "at once" organisations about matching opportunities published since."""
    from ..services.market import alerts_run

    return alerts_run()


@db_periodic_task(crontab(minute="0", hour="7", day_of_week="1"))
def send_weekly_digests() -> int:
    """Monday at 7: each "weekly" organisation's digest of what was published since its last one."""
    from ..services.market import digests_run

    return digests_run()


@db_periodic_task(crontab(minute="30", hour="6"))
def keep_the_approved_list() -> tuple[int, int]:
    """Every morning: end approvals past their expiry, and remind those 60 and 30 days from it."""
    from ..services.market import approval_reminders_send, approvals_expire

    return approvals_expire(), approval_reminders_send()
