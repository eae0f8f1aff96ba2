"""The fairness figures through the API: the same figures as the pages, aggregates only for everyone, each
organisation named only for the agency's partnership development workers, and the filters checked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import member

from .open_data_fixtures import *  # noqa: F403
from .test_fairness import manchester, world  # noqa: F401  (the fixtures of the fairness pages)

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/fairness/"
NAMES = ("Tiny Leeds Project", "Small Hull Charity", "Big Manchester plc", "Nobody Knows Ltd")
STAGES = ("told", "interested", "bid", "won")


def agency_url(slug):
    return f"/api/v1/fairness/agencies/{slug}/"


def page_day(name, day) -> dict:
    """A date as the page's form takes it: day, month and year in three boxes."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def figures_of(group) -> dict:
    """A group of the page's figures, in the API's shape."""
    return {"code": group.code, "label": group.label, **{stage: getattr(group, stage) for stage in STAGES},
            "bid_rate": group.bid_rate, "win_rate": group.win_rate, "success_rate": group.success_rate}


def assert_same_figures(body, fairness):
    assert body["opportunity_count"] == fairness.opportunity_count
    assert body["totals"] == figures_of(fairness.totals)
    assert body["by_size"] == [figures_of(group) for group in fairness.by_size]
    assert body["by_locality"] == [figures_of(group) for group in fairness.by_locality]
    assert body["small_local"] == figures_of(fairness.small_local)
    assert body["everyone_else"] == figures_of(fairness.everyone_else)
    assert [(c["code"], c["count"]) for c in body["channels"]] == [(code, n) for code, _, n in fairness.channels]


class TestPublicFigures:
    def test_given_anyone_then_the_figures_are_the_public_pages(self, api, client, world):
        response = api.get(PUBLIC)

        assert response.status_code == 200
        assert_same_figures(response.json(), client.get("/opportunities/fairness/").context["fairness"])
        assert response.json()["totals"]["told"] == 6 and response.json()["opportunity_count"] == 3

    def test_given_filters_then_they_narrow_the_figures_as_on_the_page(self, api, client, world, prison):
        since = (timezone.now() - timedelta(days=200)).date()

        response = api.get(PUBLIC, {"published_from": since.isoformat(), "buyer": prison.slug})

        page = client.get("/opportunities/fairness/", {**page_day("published_from", since), "buyer": prison.pk})
        assert_same_figures(response.json(), page.context["fairness"])
        assert response.json()["opportunity_count"] == 1
        assert response.json()["filters"] == {"published_from": since.isoformat(), "published_to": None,
                                              "buyer": prison.slug}

    def test_given_a_period_long_ago_then_only_what_was_published_in_it(self, api, world):
        until = (timezone.now() - timedelta(days=365)).date().isoformat()

        body = api.get(PUBLIC, {"published_to": until}).json()

        assert body["opportunity_count"] == 1 and [body["totals"][s] for s in STAGES] == [1, 0, 0, 0]

    def test_it_never_names_an_organisation_or_a_draft(self, api, world):
        text = api.get(PUBLIC).content.decode()

        for name in (*NAMES, "A draft", "Leeds work"):
            assert name not in text
        assert "opportunities" not in api.get(PUBLIC).json()

    @pytest.mark.parametrize("query, field", [
        ({"published_from": "2026-02-31"}, "published_from"),
        ({"published_to": "next week"}, "published_to"),
        ({"published_from": "2026-02-01", "published_to": "2026-01-01"}, "published_to"),
        ({"buyer": "no-such-buyer"}, "buyer"),
    ])
    def test_given_a_bad_filter_then_400_naming_it(self, api, world, query, field):
        response = api.get(PUBLIC, query)

        assert response.status_code == 400
        assert list(response.json()) == [field]

    def test_given_a_buyer_with_nothing_published_then_it_is_not_a_choice(self, api, world, agency):
        assert api.get(PUBLIC, {"buyer": agency.slug}).status_code == 400


class TestAgencyFigures:
    def test_given_a_partnership_development_worker_then_each_organisation_on_each_opportunity(
        self, api, client, world, agency, agency_worker
    ):
        api.force_authenticate(agency_worker)
        client.force_login(agency_worker)

        body = api.get(agency_url(agency.slug)).json()

        page = client.get(f"/opportunities/fairness/organisations/{agency.slug}/")
        assert_same_figures(body, page.context["fairness"])
        assert body["agency"] == agency.slug
        assert [row["title"] for row in body["opportunities"]] == ["Leeds work"]  # the prison ran Hull work itself
        leeds_work = body["opportunities"][0]
        assert [leeds_work["figures"][s] for s in STAGES] == [4, 2, 2, 1]
        tiny = next(row for row in leeds_work["organisations"] if row["organisation"]["name"] == "Tiny Leeds Project")
        assert tiny == {"organisation": {"slug": world["tiny"].slug, "name": "Tiny Leeds Project"}, "size": "micro",
                        "locality": "local", "told_by": ["alert"], "interested": True, "bid": True, "won": True}

    def test_the_filters_apply_and_are_checked(self, api, world, agency, agency_worker):
        api.force_authenticate(agency_worker)
        until = (timezone.now() - timedelta(days=365)).date().isoformat()

        assert api.get(agency_url(agency.slug), {"published_to": until}).json()["opportunities"] == []
        response = api.get(agency_url(agency.slug), {"published_from": "1 April"})
        assert response.status_code == 400 and "published_from" in response.json()

    def test_given_anyone_outside_the_agency_then_404(self, api, world, agency, commissioner):
        assert api.get(agency_url(agency.slug)).status_code == 404  # anonymous, as on the page
        api.force_authenticate(commissioner)
        assert api.get(agency_url(agency.slug)).status_code == 404

    def test_given_a_member_of_the_agency_who_does_not_run_competitions_then_403(self, api, world, agency):
        api.force_authenticate(member("front-line-worker", agency))

        assert api.get(agency_url(agency.slug)).status_code == 403

    def test_given_a_bad_slug_then_404(self, api, world, agency_worker):
        api.force_authenticate(agency_worker)

        assert api.get(agency_url("no-such-agency")).status_code == 404
