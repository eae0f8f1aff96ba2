"""OCDS 1.1 releases and records: one release per stage, valid against the copied schemas in every state, with
codes from the closed codelists, identifiers for every party, and nothing published before its time."""

import json
from datetime import timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone

from pathways.commissioning.models import (
    AwardStatus,
    ContractStatus,
    Opportunity,
    OpportunityStatus,
    Procedure,
)
from pathways.commissioning.ocds import codes, ocid_for, packages, validation
from pathways.commissioning.ocds.releases import published_opportunities, releases_of
from tests.factories import OrganisationFactory

from .factories import make_opportunity
from .open_data_fixtures import *  # noqa: F403
from .open_data_fixtures import ALL_STATES, LOSING_PRICE, SECRET_TEXT, WINNING_PRICE, DRAFT_TEXT, opportunity_in

pytestmark = pytest.mark.django_db


def release_package_of(*opportunities):
    return packages.release_package(packages.releases_for(opportunities), uri="https://example.org/ocds/releases/")


def record_package_of(*opportunities):
    return packages.record_package(opportunities, uri="https://example.org/ocds/records/")


def reloaded(opportunity):
    return published_opportunities().get(pk=opportunity.pk)


# Valid in every state ----------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ALL_STATES)
def test_every_state_gives_a_release_package_and_a_record_package_that_validate(state, probation, agency, leeds):
    opportunity = reloaded(opportunity_in(state, probation, areas=[leeds], agency=agency))

    releases = release_package_of(opportunity)
    records = record_package_of(opportunity)

    assert validation.release_package_errors(releases) == []
    assert validation.record_package_errors(records) == []
    record = records["records"][0]
    assert record["ocid"] == ocid_for(opportunity)
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert [release["id"] for release in record["releases"]] == [release["id"] for release in releases["releases"]]


@pytest.mark.parametrize("state, tags, status", [
    ("forthcoming", [["tender"]], "planned"),
    ("open", [["tender"]], "active"),
    ("closed", [["tender"], ["tenderUpdate"]], "active"),
    ("evaluation", [["tender"], ["tenderUpdate"], ["tenderUpdate"]], "active"),
    ("awarded", [["tender"], ["tenderUpdate"], ["tenderUpdate"], ["award"], ["contract"]], "complete"),
    ("cancelled", [["tender"], ["tenderCancellation"]], "cancelled"),
])
def test_each_stage_reached_is_a_release_and_the_record_shows_where_it_stands_now(
    state, tags, status, probation, agency, leeds
):
    opportunity = reloaded(opportunity_in(state, probation, areas=[leeds], agency=agency))

    releases = releases_of(opportunity)
    record = record_package_of(opportunity)["records"][0]

    assert [release["tag"] for release in releases] == tags
    assert [release["date"] for release in releases] == sorted(release["date"] for release in releases)
    assert len({release["id"] for release in releases}) == len(releases)
    assert record["compiledRelease"]["tender"]["status"] == status


def test_a_draft_has_no_releases_and_is_left_out_of_every_package(probation, leeds):
    draft = make_opportunity(probation, areas=[leeds], title="Still being written")
    opportunity_in("open", probation, areas=[leeds])

    assert releases_of(draft) == []
    assert draft.pk not in [opportunity.pk for opportunity in published_opportunities()]
    package = packages.release_package(packages.releases_for(), uri="https://example.org/")
    assert "Still being written" not in json.dumps(package)


def test_an_opportunity_marked_published_but_returned_to_draft_is_not_published(probation, leeds):
    opportunity = opportunity_in("open", probation, areas=[leeds])
    Opportunity.objects.filter(pk=opportunity.pk).update(status=OpportunityStatus.DRAFT)

    assert list(packages.releases_for()) == []


# Codes from the closed codelists -------------------------------------------------------------------------

def test_every_published_status_maps_to_a_code_in_the_tender_status_codelist():
    published = {status for status in OpportunityStatus if status != OpportunityStatus.DRAFT}
    assert set(codes.TENDER_STATUS) == published
    assert set(codes.TENDER_STATUS.values()) <= codes.codelist("tenderStatus")


def test_every_procedure_maps_to_a_method_code():
    assert set(codes.PROCUREMENT_METHOD) == set(Procedure)
    assert set(codes.PROCUREMENT_METHOD.values()) <= codes.codelist("method")


def test_every_contract_status_maps_to_a_contract_status_code():
    assert set(codes.CONTRACT_STATUS) == set(ContractStatus)
    assert set(codes.CONTRACT_STATUS.values()) <= codes.codelist("contractStatus")


def test_only_confirmed_awards_have_a_code_and_it_is_in_the_award_status_codelist():
    assert set(codes.AWARD_STATUS) == {AwardStatus.CONFIRMED}
    assert set(codes.AWARD_STATUS.values()) <= codes.codelist("awardStatus")


def test_the_fixed_codes_are_in_their_codelists():
    assert codes.MAIN_PROCUREMENT_CATEGORY in codes.codelist("procurementCategory")
    assert codes.INITIATION_TYPE in codes.codelist("initiationType")
    assert codes.CURRENCY in codes.codelist("currency")


@pytest.mark.parametrize("state", ALL_STATES)
def test_every_code_published_is_in_its_codelist(state, probation, agency, leeds):
    opportunity = reloaded(opportunity_in(state, probation, areas=[leeds], agency=agency))
    record = record_package_of(opportunity)["records"][0]

    for release in [*record["releases"], record["compiledRelease"]]:
        assert set(release["tag"]) <= codes.codelist("releaseTag")
        assert release["tender"]["status"] in codes.codelist("tenderStatus")
        assert release["tender"]["procurementMethod"] in codes.codelist("method")
        for award in release.get("awards", []):
            assert award["status"] in codes.codelist("awardStatus")
        for contract in release.get("contracts", []):
            assert contract["status"] in codes.codelist("contractStatus")
        for party in release["parties"]:
            assert set(party["roles"]) <= codes.codelist("partyRole")
        for document in release["tender"]["documents"]:
            assert document["documentType"] in codes.codelist("documentType")


def test_a_wrong_code_fails_validation(probation, leeds):
    """The check is real: a status outside the closed codelist is caught by the copied schema."""
    package = release_package_of(reloaded(opportunity_in("open", probation, areas=[leeds])))
    package["releases"][0]["tender"]["status"] = "open_for_bids"

    assert any("tender/status" in problem for problem in validation.release_package_errors(package))


# The tender ---------------------------------------------------------------------------------------------------

def test_the_tender_carries_the_public_details_of_the_opportunity(probation, agency, leeds, settings):
    settings.SITE_URL = "https://pathways.example"
    opportunity = reloaded(opportunity_in("open", probation, areas=[leeds], agency=agency))

    tender = releases_of(opportunity)[-1]["tender"]

    assert tender["title"] == opportunity.title
    assert tender["description"] == opportunity.summary
    assert tender["value"] == {"amount": 450000, "currency": "GBP"}
    assert tender["minValue"] == {"amount": 300000, "currency": "GBP"}
    assert tender["procurementMethod"] == "open"
    assert tender["procurementMethodDetails"] == "Open competition"
    assert tender["mainProcurementCategory"] == "services"
    assert tender["tenderPeriod"]["endDate"] == opportunity.deadline.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert tender["items"][0]["classification"]["id"] == "pathway-accommodation"
    assert tender["documents"][0]["url"] == f"https://pathways.example/opportunities/{opportunity.uuid}/"
    assert "numberOfTenderers" not in tender and "tenderers" not in tender


def test_lots_are_published_with_the_lots_extension(probation, leeds):
    opportunity = opportunity_in("open", probation, areas=[leeds])
    opportunity.lots.create(number=1, title="Leeds", value_maximum=200_000)
    opportunity.lots.create(number=2, title="Hull", value_maximum=250_000)
    package = release_package_of(reloaded(opportunity))

    assert [lot["title"] for lot in package["releases"][-1]["tender"]["lots"]] == ["Leeds", "Hull"]
    assert codes.LOTS_EXTENSION in package["extensions"]
    assert validation.release_package_errors(package) == []


def test_a_mini_competition_is_a_selective_procedure(probation, leeds):
    opportunity = reloaded(opportunity_in("open", probation, areas=[leeds], procedure=Procedure.MINI_COMPETITION))

    tender = releases_of(opportunity)[0]["tender"]

    assert tender["procurementMethod"] == "selective"
    assert tender["procurementMethodDetails"] == "Mini-competition from the approved list"


def test_the_ocid_uses_the_prefix_setting(probation, leeds, settings):
    settings.OCDS_PREFIX = "ocds-abc123"
    opportunity = reloaded(opportunity_in("open", probation, areas=[leeds]))

    assert releases_of(opportunity)[0]["ocid"] == f"ocds-abc123-{opportunity.uuid}"


# Parties and identifiers ------------------------------------------------------------------------------------

def parties_by_name(release):
    return {party["name"]: party for party in release["parties"]}


def test_the_buyer_and_the_agency_are_parties_with_their_roles(probation, agency, leeds):
    opportunity = reloaded(opportunity_in("open", probation, areas=[leeds], agency=agency))
    release = releases_of(opportunity)[0]
    parties = parties_by_name(release)

    assert parties["Yorkshire Probation"]["roles"] == ["buyer"]
    assert parties["Ridings Bidding Agency"]["roles"] == ["procuringEntity"]
    assert release["buyer"]["id"] == parties["Yorkshire Probation"]["id"]
    assert release["tender"]["procuringEntity"]["id"] == parties["Ridings Bidding Agency"]["id"]


def test_without_an_agency_the_buyer_runs_it_and_is_also_the_procuring_entity(probation, leeds):
    release = releases_of(reloaded(opportunity_in("open", probation, areas=[leeds])))[0]

    assert parties_by_name(release)["Yorkshire Probation"]["roles"] == ["buyer", "procuringEntity"]


def test_identifiers_use_charity_then_company_numbers_else_our_uuid(probation, leeds):
    opportunity = reloaded(opportunity_in("awarded", probation, areas=[leeds]))
    parties = parties_by_name(releases_of(opportunity)[-1])

    charity = parties["Chapeltown Women's Trust"]
    assert charity["identifier"] == {"scheme": "GB-CHC", "id": "1123456", "legalName": "Chapeltown Women's Trust"}
    assert charity["id"] == "GB-CHC-1123456"
    company = parties["Big Outsourcing plc"]
    assert company["identifier"]["scheme"] == "GB-COH" and company["identifier"]["id"] == "01234567"
    assert parties["Yorkshire Probation"]["identifier"]["id"] == str(probation.uuid)
    assert "scheme" not in parties["Yorkshire Probation"]["identifier"]


def test_an_organisation_with_both_numbers_has_the_company_number_as_an_additional_identifier(probation, leeds):
    both = OrganisationFactory(name="Both Numbers Ltd", charity_number="1098765", company_number="04567890")
    opportunity = opportunity_in("open", probation, areas=[leeds])
    bid = submit_bid(opportunity, both)
    confirm_award(opportunity, bid)
    opportunity = reloaded(move(opportunity, OpportunityStatus.AWARDED, at=opportunity.deadline + timedelta(days=30)))

    party = parties_by_name(releases_of(opportunity)[-1])["Both Numbers Ltd"]

    assert party["identifier"]["scheme"] == "GB-CHC"
    assert party["additionalIdentifiers"] == [{"scheme": "GB-COH", "id": "04567890", "legalName": "Both Numbers Ltd"}]
    assert set(party["roles"]) == {"tenderer", "supplier"}


# Award and contract ------------------------------------------------------------------------------------------

def test_the_award_and_contract_are_published_once_confirmed(probation, leeds):
    opportunity = reloaded(opportunity_in("awarded", probation, areas=[leeds]))
    compiled = record_package_of(opportunity)["records"][0]["compiledRelease"]
    award, contract = compiled["awards"][0], compiled["contracts"][0]

    assert award["status"] == "active"
    assert award["value"] == {"amount": WINNING_PRICE, "currency": "GBP"}
    assert award["suppliers"] == [{"id": "GB-CHC-1123456", "name": "Chapeltown Women's Trust"}]
    assert contract["awardID"] == award["id"]
    assert contract["status"] == "pending"
    assert contract["value"]["amount"] == WINNING_PRICE
    assert contract["period"]["startDate"].endswith("T00:00:00Z")
    assert compiled["tender"]["numberOfTenderers"] == 2
    assert {tenderer["name"] for tenderer in compiled["tender"]["tenderers"]} == {
        "Chapeltown Women's Trust", "Big Outsourcing plc"
    }


@pytest.mark.parametrize("status", [AwardStatus.RECOMMENDED, AwardStatus.APPROVED, AwardStatus.STANDSTILL])
def test_an_award_not_yet_confirmed_is_not_published_nor_who_bid(status, probation, leeds):
    opportunity = opportunity_in("evaluation", probation, areas=[leeds])
    bid = opportunity.bids.filter(bidder__name="Chapeltown Women's Trust").get()
    award = confirm_award(opportunity, bid, contract=False)
    award.status = status
    award.save()

    text = json.dumps(record_package_of(reloaded(opportunity)))

    assert '"awards"' not in text
    assert "numberOfTenderers" not in text
    assert "Chapeltown" not in text and "Big Outsourcing" not in text
    assert '"tenderer"' not in text


def test_a_contract_that_ended_early_is_terminated(probation, leeds):
    opportunity = opportunity_in("awarded", probation, areas=[leeds])
    opportunity.awards.get().contract.__class__.objects.filter(award__opportunity=opportunity).update(
        status=ContractStatus.TERMINATED
    )

    compiled = record_package_of(reloaded(opportunity))["records"][0]["compiledRelease"]

    assert compiled["contracts"][0]["status"] == "terminated"


# Nothing sealed leaks ------------------------------------------------------------------------------------------

def everything_published(opportunity) -> str:
    opportunity = reloaded(opportunity)
    return json.dumps([release_package_of(opportunity), record_package_of(opportunity)])


@pytest.mark.parametrize("state", ["closed", "evaluation", "awarded", "cancelled"])
def test_no_bid_text_or_price_appears_in_any_output_except_the_awarded_value(state, probation, agency, leeds):
    opportunity = opportunity_in(state, probation, areas=[leeds], agency=agency)
    Opportunity.objects.filter(pk=opportunity.pk).update(bids_opened_at=timezone.now())

    text = everything_published(opportunity)

    assert SECRET_TEXT.split()[0] not in text
    assert DRAFT_TEXT.split()[0] not in text
    assert str(LOSING_PRICE) not in text
    assert "111999" not in text
    assert "receipt" not in text.lower()
    if state == "awarded":
        assert text.count(str(WINNING_PRICE)) >= 1
    else:
        assert str(WINNING_PRICE) not in text


def test_before_the_award_neither_who_bid_nor_how_many_is_published(probation, leeds):
    text = everything_published(opportunity_in("evaluation", probation, areas=[leeds]))

    assert "numberOfTenderers" not in text
    assert "Chapeltown" not in text and "Big Outsourcing" not in text and "Late Drafters" not in text


def test_a_draft_bid_never_makes_an_organisation_a_tenderer(probation, leeds):
    text = everything_published(opportunity_in("awarded", probation, areas=[leeds]))

    assert "Late Drafters" not in text


def test_the_streamed_package_is_the_same_as_the_built_one(probation, leeds):
    opportunity_in("awarded", probation, areas=[leeds])
    opportunity_in("forthcoming", probation, areas=[leeds], title="Later work")
    moment = timezone.now()

    streamed = json.loads("".join(packages.release_package_stream(packages.releases_for(), uri="https://e.org/",
                                                                  published=moment)))
    built = packages.release_package(packages.releases_for(), uri="https://e.org/", published=moment)

    assert streamed == built
    assert validation.release_package_errors(streamed) == []


def test_published_answers_set_has_enquiries_without_saying_who_asked_or_what(probation, leeds):
    from pathways.commissioning.models import Clarification

    opportunity = opportunity_in("open", probation, areas=[leeds])
    asker = OrganisationFactory(name="Curious Charity")
    Clarification.objects.create(opportunity=opportunity, question="PELICAN-8 may we subcontract?", asked_for=asker,
                                 published_question="May bidders subcontract?", answer="Yes.",
                                 published_at=timezone.now())

    text = everything_published(opportunity)

    assert releases_of(reloaded(opportunity))[0]["tender"]["hasEnquiries"] is True
    assert "PELICAN-8" not in text and "Curious Charity" not in text
