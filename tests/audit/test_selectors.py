"""An organisation's trail: what it holds, in which order, and how the filters narrow it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from pathways.audit.models import AuditAction
from pathways.audit.selectors import (
    AuditFilters,
    audit_entries_for_organisation,
    audit_filters_described,
    audit_trail_kinds,
    audit_trail_people,
)
from pathways.audit.services import audit_record
from pathways.organisations.models import Membership
from tests.factories import UserFactory

LONDON = ZoneInfo("Europe/London")


def record_at(when: datetime, **kwargs):
    with time_machine.travel(when, tick=False):
        return audit_record(**kwargs)


def test_the_trail_holds_entries_owned_by_or_done_for_the_organisation_only(manager, charity, other_charity):
    owned = audit_record(actor=manager, action=AuditAction.CHANGED, target=charity, owner=charity)
    done_for = audit_record(actor=manager, action=AuditAction.VIEWED, target=other_charity, acting_for=charity)
    audit_record(actor=manager, action=AuditAction.VIEWED, target=other_charity, owner=other_charity)
    audit_record(actor=None, action=AuditAction.CREATED, target=other_charity)

    entries = audit_entries_for_organisation(organisation=charity)

    assert set(entries) == {owned, done_for}


def test_the_trail_is_newest_first(manager, charity):
    older = record_at(datetime(2026, 3, 1, 9, tzinfo=LONDON), actor=manager, action="viewed", owner=charity)
    newer = record_at(datetime(2026, 3, 2, 9, tzinfo=LONDON), actor=manager, action="viewed", owner=charity)

    assert list(audit_entries_for_organisation(organisation=charity)) == [newer, older]


def test_dates_are_whole_uk_days_with_both_ends_included(manager, charity):
    before = record_at(datetime(2026, 3, 31, 23, 59, tzinfo=LONDON), actor=manager, action="viewed", owner=charity)
    # 00:30 on 1 April in London is still 31 March in UTC (summer time).
    first = record_at(datetime(2026, 4, 1, 0, 30, tzinfo=LONDON), actor=manager, action="viewed", owner=charity)
    last = record_at(datetime(2026, 4, 30, 23, 30, tzinfo=LONDON), actor=manager, action="viewed", owner=charity)
    after = record_at(datetime(2026, 5, 1, 0, 0, tzinfo=LONDON), actor=manager, action="viewed", owner=charity)

    april = AuditFilters(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    from_april = AuditFilters(date_from=date(2026, 4, 1))
    until_march = AuditFilters(date_to=date(2026, 3, 31))

    assert list(audit_entries_for_organisation(organisation=charity, filters=april)) == [last, first]
    assert set(audit_entries_for_organisation(organisation=charity, filters=from_april)) == {first, last, after}
    assert list(audit_entries_for_organisation(organisation=charity, filters=until_march)) == [before]


def test_person_action_and_kind_each_narrow_the_trail(manager, worker, charity):
    membership = Membership.objects.get(user=worker)
    changed = audit_record(actor=manager, action=AuditAction.CHANGED, target=charity, owner=charity)
    ended = audit_record(actor=manager, action=AuditAction.REMOVED, target=membership, owner=charity)
    viewed = audit_record(actor=worker, action=AuditAction.VIEWED, target=charity, owner=charity)

    def entries(**filters):
        return set(audit_entries_for_organisation(organisation=charity, filters=AuditFilters(**filters)))

    assert entries(actor_id=manager.pk) == {changed, ended}
    assert entries(action="viewed") == {viewed}
    assert entries(kind="organisations.membership") == {ended}
    assert entries(actor_id=manager.pk, kind="organisations.organisation") == {changed}
    assert entries(actor_id=worker.pk, action="changed") == set()


def test_the_people_and_kinds_offered_are_those_in_the_trail(manager, worker, charity, other_charity):
    gone = UserFactory(full_name="", email="left@example.org")
    audit_record(actor=manager, action="changed", target=charity, owner=charity)
    audit_record(actor=gone, action="viewed", target=Membership.objects.get(user=worker), owner=charity)
    audit_record(actor=None, action="created", target=charity, owner=charity)
    audit_record(actor=worker, action="viewed", target=other_charity, owner=other_charity)

    assert audit_trail_people(organisation=charity) == [
        (gone.pk, "left@example.org"),
        (manager.pk, "Morgan Manager (manager@example.org)"),
    ]
    assert audit_trail_kinds(organisation=charity) == [
        ("organisations.membership", "Membership"),
        ("organisations.organisation", "Organisation"),
    ]


def test_filters_are_described_in_words(manager, charity):
    audit_record(actor=manager, action="changed", target=charity, owner=charity)
    filters = AuditFilters(
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
        actor_id=manager.pk,
        action="changed",
        kind="organisations.organisation",
    )

    assert audit_filters_described(organisation=charity, filters=filters) == {
        "from": "1 March 2026",
        "to": "31 March 2026",
        "person": "Morgan Manager (manager@example.org)",
        "action": "Changed",
        "kind of record": "Organisation",
    }
    assert audit_filters_described(organisation=charity, filters=AuditFilters()) == {}


def test_filters_survive_the_round_trip_through_a_jobs_parameters():
    filters = AuditFilters(date_from=date(2026, 3, 1), actor_id=7, kind="organisations.organisation")

    assert AuditFilters.from_params(filters.to_params()) == filters
    assert AuditFilters.from_params(AuditFilters().to_params()) == AuditFilters()

