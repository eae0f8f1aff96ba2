"""Periodic work of the knowledge base, run by the Huey consumer (``pathways serve`` starts one).

Each task only starts a background job, so every run is a Job that people can see.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="0", hour="7"))
def send_search_alerts() -> None:
    """Every morning at 7: email saved searches' owners about services published since their last alert."""
    from .services.saved_searches import saved_search_alerts_start

    saved_search_alerts_start()


@db_periodic_task(crontab(minute="15", hour="6"))
def send_stale_reminders() -> None:
    """Every morning: remind providers whose records were last checked about 10, 11 or 12 months ago."""
    from .services.reminders import stale_reminders_start

    stale_reminders_start()
