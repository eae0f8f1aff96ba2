"""The organisation's audit trail page: who may see it, what it shows, and how its filters work."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pathways.audit.models import AuditAction, AuditEntry
from pathways.audit.services import audit_record
from pathways.organisations.models import Membership

URL = "/organisations/aire-valley/audit/"
LONDON = ZoneInfo("Europe/London")


def record_at(when, **kwargs):
    with time_machine.travel(when, tick=False):
        return audit_record(**kwargs)


def day(name, d, m, y):
    """The three boxes of a GOV.UK date input, as the browser sends them."""
    return {f"{name}_0": d, f"{name}_1": m, f"{name}_2": y}


def test_anonymous_is_sent_to_sign_in(client, charity):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"/sign-in/?next={URL}"


@pytest.mark.parametrize("who", ["worker", "other_manager", "curator"])
def test_people_without_the_capability_in_that_organisation_get_not_found(who, client, charity, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404


def test_an_unknown_organisation_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/organisations/no-such-organisation/audit/").status_code == 404


def test_a_manager_sees_their_organisations_trail_newest_first(client, manager, worker, charity, other_charity):
    record_at(
        datetime(2026, 3, 2, 14, 5, tzinfo=LONDON),
        actor=manager,
        action=AuditAction.CHANGED,
        target=charity,
        owner=charity,
        acting_for=charity,
        changes={"website": ["", "https://aire.example.org"]},
    )
    record_at(
        datetime(2026, 3, 3, 9, 30, tzinfo=LONDON),
        actor=worker,
        action=AuditAction.SHARED,
        target=Membership.objects.get(user=worker),
        owner=charity,
        reason="Safeguarding concern raised by the client's sister",
    )
    audit_record(actor=manager, action=AuditAction.VIEWED, target=other_charity, owner=other_charity)
    client.force_login(manager)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 entries" in html
    assert html.index("3 Mar 2026") < html.index("2 Mar 2026")
    assert "14:05" in html
    assert "Morgan Manager &lt;manager@example.org&gt;" in html
    assert "acting for Aire Valley Resettlement Trust" in html
    assert "Website: (blank)" in html and "https://aire.example.org" in html
    assert "Safeguarding concern raised by the client&#x27;s sister" in html
    assert ">Shared<" in html and "Membership" in html
    assert "Calder Lantern Project" not in html
    assert "Export these entries as CSV" in html


def test_viewing_the_trail_is_not_itself_recorded(client, manager, charity):
    client.force_login(manager)
    client.get(URL)
    assert not AuditEntry.objects.exists()


def test_an_empty_trail_says_so_and_offers_no_export(client, manager, charity):
    client.force_login(manager)

    html = client.get(URL).content.decode()

    assert "There are no entries in your organisation's trail yet." in html
    assert "Export these entries as CSV" not in html


def test_the_filters_narrow_the_trail_and_are_kept_in_the_form(client, manager, worker, charity):
    for when, actor, action in [
        (datetime(2026, 3, 2, 10, tzinfo=LONDON), manager, "changed"),
        (datetime(2026, 3, 9, 10, tzinfo=LONDON), manager, "changed"),
        (datetime(2026, 3, 9, 11, tzinfo=LONDON), worker, "viewed"),
    ]:
        record_at(when, actor=actor, action=action, target=charity, owner=charity)
    client.force_login(manager)

    response = client.get(
        URL,
        day("date_from", "5", "3", "2026")
        | day("date_to", "", "", "")
        | {"person": str(manager.pk), "action": "changed", "kind": "organisations.organisation"},
    )

    html = response.content.decode()
    assert "1 entry match these filters" in html
    assert "9 Mar 2026" in html and "2 Mar 2026" not in html
    assert 'name="date_from_0" value="5"' in html
    assert f'<option value="{manager.pk}" selected>Morgan Manager (manager@example.org)</option>' in html
    assert '<option value="changed" selected>Changed</option>' in html
    assert "Clear filters" in html


def test_filters_that_match_nothing_say_so(client, manager, charity):
    audit_record(actor=manager, action="changed", target=charity, owner=charity)
    client.force_login(manager)

    html = client.get(URL, {"action": "shared"}).content.decode()

    assert "No entries match these filters." in html
    assert "Export these entries as CSV" not in html


@pytest.mark.parametrize(
    "query, message, link",
    [
        (day("date_from", "31", "2", "2026"), "The date from must be a real date", "#id_date_from"),
        (day("date_from", "1", "", "2026"), "The date from must include a month", "#id_date_from_1"),
        (day("date_to", "x", "3", "2026"), "The date to must be a real date", "#id_date_to_0"),
        (
            day("date_from", "9", "3", "2026") | day("date_to", "1", "3", "2026"),
            "The date to must be the same as or after the date from",
            "#id_date_to",
        ),
        ({"person": "999999"}, "Select a valid choice", "#id_person"),
    ],
)
def test_invalid_filters_show_the_error_summary_and_no_entries(client, manager, charity, query, message, link):
    audit_record(actor=manager, action="changed", target=charity, owner=charity)
    client.force_login(manager)

    html = client.get(URL, query).content.decode()

    assert "There is a problem" in html
    assert f'<a href="{link}">{message}' in html
    assert "<title>Audit trail – Aire Valley Resettlement Trust – Error – Pathways</title>" in html
    assert "Correct the filters to see the entries." in html
    assert "govuk-table" not in html


def test_the_trail_is_paginated_and_pages_keep_the_filters(client, manager, charity):
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=manager, actor_label=f"Person {n}", owner=charity, action="viewed") for n in range(51)
    )
    client.force_login(manager)

    first = client.get(URL, {"action": "viewed"}).content.decode()
    second = client.get(URL, {"action": "viewed", "page": "2"}).content.decode()

    assert "51 entries match these filters, showing 1 to 50" in first
    assert 'href="?action=viewed&amp;page=2" rel="next"' in first
    assert 'aria-current="page">1</a>' in first
    assert "51 entries match these filters, showing 51 to 51" in second
    assert 'href="?action=viewed&amp;page=1" rel="prev"' in second
