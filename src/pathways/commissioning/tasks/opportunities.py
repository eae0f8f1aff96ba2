"""Periodic work of the bidders portal, run by the Huey consumer (``pathways serve`` starts one).

Each task calls a service and nothing else. Pages and the API already show an open opportunity whose
deadline has passed as closed (``Opportunity.current_status``); this task makes the stored state agree.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def close_opportunities_past_deadline() -> int:
    from ..services.opportunities import opportunities_close_due

    return opportunities_close_due()
