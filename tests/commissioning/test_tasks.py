"""The periodic job that closes opportunities once their deadline has passed."""

from datetime import timedelta

import pytest
import time_machine

from pathways.commissioning.models import Opportunity, OpportunityStatus
from pathways.commissioning.tasks.opportunities import close_opportunities_past_deadline

from .factories import published

pytestmark = pytest.mark.django_db


def test_given_the_deadline_has_passed_then_the_periodic_job_closes_the_opportunity(probation, leeds):
    opportunity = published(probation, areas=[leeds])
    with time_machine.travel(opportunity.deadline - timedelta(seconds=1)):
        assert close_opportunities_past_deadline.call_local() == 0
    assert Opportunity.objects.get().status == OpportunityStatus.OPEN
    with time_machine.travel(opportunity.deadline + timedelta(seconds=1)):
        assert close_opportunities_past_deadline.call_local() == 1
    assert Opportunity.objects.get().status == OpportunityStatus.CLOSED


def test_the_job_is_registered_to_run_every_minute():
    from datetime import datetime

    task = close_opportunities_past_deadline.task_class()
    assert task.validate_datetime(datetime(2026, 11, 23, 10, 17))
    assert "close_opportunities_past_deadline" in [t.name for t in close_opportunities_past_deadline.huey._registry.periodic_tasks]
