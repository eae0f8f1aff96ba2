"""Only the person who started a job sees it; for anyone else it does not exist."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from pathways.jobs.models import Job
from pathways.jobs.permissions import job_get_for_user


def test_the_person_who_started_a_job_gets_it(manager, running_job):
    assert job_get_for_user(user=manager, job_id=running_job.pk) == running_job


@pytest.mark.parametrize("who", ["worker", "other_manager", "anonymous"])
def test_anyone_else_is_told_it_does_not_exist(who, running_job, request):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(Http404):
        job_get_for_user(user=user, job_id=running_job.pk)


def test_a_deactivated_account_no_longer_sees_its_jobs(manager, running_job):
    manager.is_active = False
    manager.save()
    with pytest.raises(Http404):
        job_get_for_user(user=manager, job_id=running_job.pk)


def test_a_job_whose_starter_is_gone_is_seen_by_nobody(manager, charity):
    orphan = Job.objects.create(kind="audit.export", title="Export", created_by=None, organisation=charity)
    with pytest.raises(Http404):
        job_get_for_user(user=manager, job_id=orphan.pk)


def test_an_unknown_job_is_not_found(manager):
    with pytest.raises(Http404):
        job_get_for_user(user=manager, job_id=uuid.uuid4())
