"""The fairness figures, computed from a known set of notifications, interests, bids and awards; the public
page (aggregates only, no names), its CSV, and the agency's fuller view with its permissions."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.commissioning.models import (
    Bid,
    BidStatus,
    Consortium,
    ConsortiumMember,
    MemberRole,
    Notification,
    Opportunity,
)
from pathways.commissioning.selectors.fairness import FairnessFilters, Places, fairness_figures, locality_of, takings_for
from pathways.organisations.models import PlaceKind
from tests.factories import OrganisationFactory, PlaceFactory, member

from .factories import make_opportunity
from .open_data_fixtures import *  # noqa: F403
from .open_data_fixtures import confirm_award, register_interest, submit_bid, tell

pytestmark = pytest.mark.django_db
ALERT, DIGEST, INVITATION = (Notification.Channel.ALERT, Notification.Channel.DIGEST,
                             Notification.Channel.INVITATION)


@pytest.fixture
def manchester(db):
    north_west = PlaceFactory(name="North West", kind=PlaceKind.REGION)
    return PlaceFactory(name="Manchester", kind=PlaceKind.LOCAL_AUTHORITY, parent=north_west)


@pytest.fixture
def world(probation, prison, agency, leeds, hull, manchester):
    """Two opportunities published this year and one three years ago, and four organisations:
    a micro one in Leeds, a small one in Hull, a super-major one in Manchester, one we know nothing about."""
    tiny = OrganisationFactory(name="Tiny Leeds Project", annual_income=5_000)
    tiny.areas.add(leeds)
    small = OrganisationFactory(name="Small Hull Charity", annual_income=50_000)
    small.areas.add(hull)
    big = OrganisationFactory(name="Big Manchester plc", annual_income=250_000_000)
    big.areas.add(manchester)
    unknown = OrganisationFactory(name="Nobody Knows Ltd")

    leeds_work = opportunity_in("open", probation, areas=[leeds], agency=agency, title="Leeds work")
    for organisation, channel in [(tiny, ALERT), (small, DIGEST), (big, INVITATION), (unknown, ALERT)]:
        tell(leeds_work, organisation, channel)
    register_interest(leeds_work, tiny)
    register_interest(leeds_work, big)
    winning = submit_bid(leeds_work, tiny, price=100_000)
    submit_bid(leeds_work, big, price=90_000)
    Bid.objects.create(opportunity=leeds_work, bidder=small, status=BidStatus.WITHDRAWN)
    confirm_award(leeds_work, winning, contract=False)

    hull_work = opportunity_in("open", prison, areas=[hull], title="Hull work")
    tell(hull_work, tiny, ALERT)
    tell(hull_work, tiny, DIGEST)

    old_work = opportunity_in("open", probation, areas=[leeds], title="Old work")
    Opportunity.objects.filter(pk=old_work.pk).update(published_at=timezone.now() - timedelta(days=3 * 365))
    tell(old_work, big, ALERT)
    make_opportunity(probation, areas=[leeds], title="A draft")
    return {"tiny": tiny, "small": small, "big": big, "unknown": unknown, "leeds_work": leeds_work,
            "hull_work": hull_work, "old_work": old_work}


def this_year():
    return FairnessFilters(published_from=(timezone.now() - timedelta(days=200)).date())


def by_code(groups):
    return {group.code: group for group in groups}


def test_each_stage_counts_an_organisation_once_per_opportunity(world):
    figures = fairness_figures(filters=this_year())

    assert figures.opportunity_count == 2
    assert figures.totals.counts() == [5, 2, 2, 1]  # told, interested, bid (the withdrawn one not), won


def test_how_organisations_were_told_is_counted_by_channel(world):
    figures = fairness_figures(filters=this_year())

    assert [(code, count) for code, _, count in figures.channels] == [
        ("alert", 3), ("digest", 2), ("invitation", 1)
    ]


def test_the_figures_by_size_band(world):
    sizes = by_code(fairness_figures(filters=this_year()).by_size)

    assert sizes["micro"].counts() == [2, 1, 1, 1]
    assert sizes["small"].counts() == [1, 0, 0, 0]
    assert sizes["super_major"].counts() == [1, 1, 1, 0]
    assert sizes["unknown"].counts() == [1, 0, 0, 0]
    assert sizes["medium"].counts() == [0, 0, 0, 0]


def test_the_figures_by_locality(world):
    places = by_code(fairness_figures(filters=this_year()).by_locality)

    # Tiny (Leeds) on both; Small (Hull) is local to Leeds work: same region.
    assert places["local"].counts() == [3, 1, 1, 1]
    assert places["outside"].counts() == [1, 1, 1, 0]
    assert places["unknown"].counts() == [1, 0, 0, 0]


def test_of_small_local_organisations_told_how_many_bid_and_how_many_won(world):
    figures = fairness_figures(filters=this_year())

    assert figures.small_local.counts() == [3, 1, 1, 1]
    assert figures.small_local.told_then_bid == 1 and figures.small_local.told_then_won == 1
    assert round(figures.small_local.bid_rate, 3) == 0.333
    assert round(figures.small_local.win_rate, 3) == 0.333
    assert figures.small_local.success_rate == 1
    assert figures.everyone_else.counts() == [2, 1, 1, 0]
    assert figures.everyone_else.success_rate == 0


def test_the_period_and_the_buyer_narrow_the_figures(world, prison):
    everything = fairness_figures(filters=FairnessFilters())
    prison_only = fairness_figures(filters=FairnessFilters(buyer=prison))
    long_ago = fairness_figures(filters=FairnessFilters(published_to=(timezone.now() - timedelta(days=365)).date()))

    assert everything.opportunity_count == 3  # never the draft
    assert everything.totals.told == 6
    assert prison_only.opportunity_count == 1 and prison_only.totals.counts() == [1, 0, 0, 0]
    assert long_ago.opportunity_count == 1 and long_ago.totals.counts() == [1, 0, 0, 0]


def test_an_award_not_yet_confirmed_is_not_a_win(world):
    award = world["leeds_work"].awards.get()
    award.status = "standstill"
    award.save()

    assert fairness_figures(filters=this_year()).totals.won == 0


def test_a_consortiums_members_and_subcontractors_bid_and_win_with_its_lead(world):
    hull_work, tiny, small = world["hull_work"], world["tiny"], world["small"]
    consortium = Consortium.objects.create(opportunity=hull_work, name="Humber Partners", lead=tiny)
    ConsortiumMember.objects.create(consortium=consortium, organisation=tiny, role=MemberRole.LEAD,
                                    share_of_work_percent=50, share_of_value_percent=50)
    ConsortiumMember.objects.create(consortium=consortium, organisation=small, role=MemberRole.SUBCONTRACTOR,
                                    share_of_work_percent=50, share_of_value_percent=50)
    bid = submit_bid(hull_work, tiny, price=80_000)
    bid.consortium = consortium
    bid.save(update_fields=["consortium"])
    before = fairness_figures(filters=this_year()).totals

    confirm_award(hull_work, bid, contract=False)
    after = fairness_figures(filters=this_year()).totals

    # The lead and its subcontractor each took part in Hull work, beside the two bids for Leeds work.
    assert (before.bid, before.won) == (2 + 2, 1)
    assert (after.bid, after.won) == (4, 1 + 2)
    assert {t.organisation.name: (t.bid, t.won) for t in takings_for([hull_work])} == {
        "Tiny Leeds Project": (True, True), "Small Hull Charity": (True, True)}


def test_locality_needs_areas_on_both_sides(leeds, hull, manchester):
    places = Places()

    assert locality_of(places.widened([leeds.pk]), places.widened([hull.pk])) == "local"
    assert locality_of(places.widened([manchester.pk]), places.widened([leeds.pk])) == "outside"
    assert locality_of(places.widened([]), places.widened([leeds.pk])) == "unknown"
    assert locality_of(places.widened([leeds.pk]), places.widened([])) == "unknown"
    assert locality_of(places.widened([leeds.parent_id]), places.widened([hull.pk])) == "local"


# The public page ------------------------------------------------------------------------------------------

def test_the_public_page_shows_aggregates_with_charts_and_tables_and_never_a_name(client, world):
    response = client.get("/opportunities/fairness/")
    text = response.content.decode()

    assert response.status_code == 200
    assert text.count("<svg") >= 2 and 'role="img"' in text
    assert "Taking part, by size of organisation: the figures" in text
    for organisation in ("Tiny Leeds Project", "Small Hull Charity", "Big Manchester plc", "Nobody Knows Ltd"):
        assert organisation not in text
    assert "A draft" not in text


def test_the_public_page_filters_by_period_and_buyer(client, world, prison):
    response = client.get("/opportunities/fairness/", {"buyer": prison.pk})

    assert response.status_code == 200
    assert "1 published opportunity" in response.content.decode()
    assert "bought by HMP Leeds" in response.content.decode()


def test_a_wrong_date_is_named_in_an_error_summary_and_what_was_typed_stays(client, world):
    response = client.get("/opportunities/fairness/", {
        "published_from_0": "31", "published_from_1": "2", "published_from_2": "2026",
        "published_to_0": "1", "published_to_1": "1", "published_to_2": "2020",
    })
    text = response.content.decode()

    assert response.status_code == 200
    assert "govuk-error-summary" in text
    assert "must be a real date" in text
    assert 'value="31"' in text


def test_an_end_before_the_start_is_refused(client, world):
    response = client.get("/opportunities/fairness/", {
        "published_from_0": "1", "published_from_1": "2", "published_from_2": "2026",
        "published_to_0": "1", "published_to_1": "1", "published_to_2": "2026",
    })

    assert "must be the same as or after" in response.content.decode()


def test_the_csv_holds_the_same_figures_without_names(client, world):
    response = client.get("/opportunities/fairness/figures.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:6] == ["Grouped by", "Group", "Told about it", "Registered interest", "Bid", "Won"]
    assert ["All", "All organisations", "6", "2", "2", "1"] == rows[1][:6]
    assert "Tiny Leeds Project" not in response.content.decode()


# The agency's fuller view -----------------------------------------------------------------------------------

def test_the_agency_sees_each_organisation_on_the_opportunities_it_ran(client, world, agency, agency_worker):
    client.force_login(agency_worker)

    response = client.get(f"/opportunities/fairness/organisations/{agency.slug}/")
    text = response.content.decode()

    assert response.status_code == 200
    assert "Tiny Leeds Project" in text and "Big Manchester plc" in text
    assert "Hull work" not in text  # the prison ran that one itself


def test_the_agency_csv_names_each_organisation(client, world, agency, agency_worker):
    client.force_login(agency_worker)

    response = client.get(f"/opportunities/fairness/organisations/{agency.slug}/figures.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert rows[0][0] == "Opportunity reference"
    tiny = next(row for row in rows if row[2] == "Tiny Leeds Project")
    assert tiny[3:] == ["Micro (under £10,000)", "Local", "Alert", "yes", "yes", "yes"]


@pytest.mark.parametrize("page", ["", "figures.csv"])
def test_outsiders_get_a_404_and_members_without_the_capability_a_403(client, world, agency, commissioner, page):
    url = f"/opportunities/fairness/organisations/{agency.slug}/{page}"

    assert client.get(url).status_code == 404  # anonymous
    client.force_login(commissioner)
    assert client.get(url).status_code == 404
    client.force_login(member("front-line-worker", agency))
    assert client.get(url).status_code == 403
    assert client.get(f"/opportunities/fairness/organisations/no-such-agency/{page}").status_code == 404


def test_the_public_page_links_an_agency_worker_to_their_fuller_view_and_no_one_else(client, world, agency,
                                                                                      agency_worker, commissioner):
    link = f"/opportunities/fairness/organisations/{agency.slug}/"

    assert link not in client.get("/opportunities/fairness/").content.decode()
    client.force_login(commissioner)
    assert link not in client.get("/opportunities/fairness/").content.decode()
    client.force_login(agency_worker)
    assert link in client.get("/opportunities/fairness/").content.decode()


def test_the_chart_draws_each_bar_to_scale_and_labels_it_with_its_step_and_number():
    from pathways.commissioning.selectors.fairness import GroupFigures
    from pathways.commissioning.views.fairness import BAR_AREA, bar_chart

    groups = [GroupFigures("micro", "Micro (under £10,000)", told=4, interested=2, bid=1, won=0),
              GroupFigures("large", "Large (£1 million to £10 million)", told=2)]

    chart = bar_chart(key="size", title="Taking part", groups=groups)

    micro, large = chart.groups
    assert micro.label == "Micro" and large.label == "Large"
    assert [bar.width for bar in micro.bars] == [BAR_AREA, BAR_AREA // 2, BAR_AREA // 4, 0]
    assert [bar.text for bar in micro.bars] == ["Told about it: 4", "Registered interest: 2", "Bid: 1", "Won: 0"]
    assert "Micro (under £10,000): told about it 4, registered interest 2, bid 1, won 0" in chart.description
