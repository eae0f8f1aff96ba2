"""Checking every row before anything is saved: each problem names the row, the column and what is wrong,
and a good row is planned as a new service, a change (column by column) or nothing."""

import pytest

from pathways.directory.services.spreadsheet_check import rows_check
from pathways.directory.services.spreadsheet_files import open_table
from tests.factories import OrganisationFactory, member

from .spreadsheets import csv_bytes, good_row, places, prison, service_with_external_id  # noqa: F401


@pytest.fixture(autouse=True)
def _places(places, prison):
    return places


def check(tmp_path, rows, by, keys=None):
    path = tmp_path / "services.csv"
    path.write_bytes(csv_bytes(rows, keys))
    with open_table(path, "csv") as table:
        return rows_check(table, by=by)


def problem_texts(result):
    return [problem.text for problem in result.problems]


def test_given_a_good_row_from_a_curator_then_it_is_planned_as_new_without_problems(tmp_path, curator, charity):
    result = check(tmp_path, [good_row()], curator)
    assert problem_texts(result) == []
    assert result.new == [{"row": 2, "external_id": "AV-1", "name": "Housing advice drop-in",
                           "organisation": "Aire Valley Resettlement Trust"}]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"postcode": "LS99 XX"}, "Row 2, Postcode: 'LS99 XX' is not a postcode"),
        ({"external_id": ""}, "Row 2, External ID: enter the service's own reference, like AVRT-001, so that "
                              "importing the file again updates it"),
        ({"name": ""}, "Row 2, Service name: enter the name of the service"),
        ({"name": "x" * 201}, "Row 2, Service name: 201 characters is too long: the most is 200"),
        ({"url": "not a website"}, "Row 2, Website: 'not a website' is not a web address, like https://www.example.org"),
        ({"email": "housing@"}, "Row 2, Email: 'housing@' is not an email address, like name@example.org"),
        ({"phone": "call us"}, "Row 2, Phone: 'call us' is not a phone number, like 0113 496 0000"),
        ({"pathways": "Accommodation; Housing"},
         "Row 2, Pathways: 'Housing' is not a pathway. Use a name or code from the Lists sheet"),
        ({"categories": "Cooking"}, "Row 2, Categories: 'Cooking' is not a category. Use a name or code from the "
                                    "Lists sheet"),
        ({"client_groups": "Everyone"}, "Row 2, Client groups: 'Everyone' is not a client group. Use a name or "
                                        "code from the Lists sheet"),
        ({"areas": "Leeds"}, "Row 2, Areas served: 'Leeds' is the name of more than one place: write "
                             "'Leeds (Probation delivery unit)' or 'Leeds (Local authority)'"),
        ({"areas": "Atlantis"}, "Row 2, Areas served: 'Atlantis' is not a place on the Lists sheet"),
        ({"in_custody": "maybe"}, "Row 2, Custody: 'maybe' is not yes or no"),
        ({"minimum_age": "eighteen"}, "Row 2, Minimum age: 'eighteen' is not a whole number from 0 to 120"),
        ({"minimum_age": "30", "maximum_age": "25"}, "Row 2, Maximum age: 25 is less than the minimum age (30)"),
        ({"gender": "non-binary people"}, "Row 2, Gender: 'non-binary people' is not one of: anyone, women, men"),
        ({"statutory_referral_only": "yes"},
         "Row 2, Statutory referral only: cannot be yes when Self-referral or Agency referral is yes: choose "
         "which is true"),
        ({"typical_wait_days": "400"}, "Row 2, Typical wait (days): 400 is not a whole number from 0 to 365"),
        ({"location_name": ""}, "Row 2, Location name: enter a name for the location, like “Leeds drop-in "
                                "centre”, since its address or postcode is given"),
        ({"drop_in_times": "Mon 10-12; Funday 10:00-12:00"},
         "Row 2, Drop-in times: 'Funday 10:00-12:00' does not start with a day, like Mon, Tuesday or Mon-Fri"),
        ({"opening_times": "Mon 17:00-09:00"}, "Row 2, Opening times: 'Mon 17:00-09:00' closes before it opens"),
        ({"opening_times": "Mondays"}, "Row 2, Opening times: 'Mondays' is not a day and times, like "
                                       "'Mon 10:00-12:00'"),
        ({"contact_email": "sam at aire"}, "Row 2, Contact email: 'sam at aire' is not an email address, like "
                                          "name@example.org"),
        ({"funding_kind": "lottery"}, "Row 2, Funding kind: 'lottery' is not one of: contracted, pooled, other, "
                                      "no direct cost"),
        ({"funding_kind": ""}, "Row 2, Funding kind: choose how the service is funded, since a funder or stream "
                               "is given: contracted, pooled, other or no direct cost"),
        ({"publish": "soon"}, "Row 2, Publish: 'soon' is not yes or no"),
        ({"organisation": ""}, "Row 2, Organisation: enter the name of the organisation that runs the service"),
    ],
)
def test_given_a_bad_cell_then_the_problem_names_row_column_and_what_is_wrong(
    tmp_path, curator, charity, values, expected
):
    result = check(tmp_path, [good_row(**values)], curator)
    assert problem_texts(result) == [expected]
    assert result.new == []


def test_given_several_bad_rows_then_every_problem_of_every_row_is_listed(tmp_path, curator, charity):
    rows = [
        good_row(external_id="AV-1"),
        good_row(external_id="AV-2", postcode="nope", email="x"),
        good_row(external_id="AV-1"),
    ]
    assert problem_texts(check(tmp_path, rows, curator)) == [
        "Row 3, Email: 'x' is not an email address, like name@example.org",
        "Row 3, Postcode: 'nope' is not a postcode",
        "Row 4, External ID: 'AV-1' is also on row 2. Each service needs its own ID",
    ]


def test_given_a_file_without_the_required_columns_then_it_says_which_are_missing(tmp_path, curator):
    result = check(tmp_path, [{"description": "x"}], curator, keys=["description"])
    assert problem_texts(result) == [
        "Row 1, External ID: the file has no “External ID” column. The first row must hold the template's column "
        "headings",
        "Row 1, Service name: the file has no “Service name” column. The first row must hold the template's column "
        "headings",
        "Row 1, Organisation: the file has no “Organisation” column. The first row must hold the template's "
        "column headings",
    ]


def test_times_and_places_are_read_in_the_forms_people_write_them(tmp_path, curator, charity, places):
    result = check(tmp_path, [good_row(drop_in_times="Mon & Wed 10am-12.30pm; Sat to Sun 10:00 to 12:00",
                                       areas="Leeds (Probation delivery unit); e08000035; hmp leeds")], curator)
    assert problem_texts(result) == []


def test_given_two_rows_at_one_location_with_different_addresses_then_the_second_is_a_problem(
    tmp_path, curator, charity
):
    rows = [good_row(external_id="AV-1"), good_row(external_id="AV-2", address="99 Other Street")]
    assert problem_texts(check(tmp_path, rows, curator)) == [
        "Row 3, Address: row 2 gives a different address for Aire Valley hub (LS1 4RT). Give the same address on "
        "both rows"
    ]


def test_given_an_unknown_organisation_then_a_curator_is_told_it_will_be_added(tmp_path, curator):
    result = check(tmp_path, [good_row(organisation="Wakefield Women's Centre")], curator)
    assert problem_texts(result) == []
    assert result.organisations_to_add == ["Wakefield Women's Centre"]


def test_given_another_organisation_then_a_manager_is_told_they_import_only_for_their_own(
    tmp_path, manager, other_charity
):
    rows = [good_row(external_id="AV-1"), good_row(external_id="AV-2", organisation="Calder Lantern Project"),
            good_row(external_id="AV-3", organisation="Somewhere New")]
    assert problem_texts(check(tmp_path, rows, manager)) == [
        "Row 3, Organisation: 'Calder Lantern Project' is not your organisation. You can import services only "
        "for Aire Valley Resettlement Trust",
        "Row 4, Organisation: 'Somewhere New' is not your organisation. You can import services only for Aire "
        "Valley Resettlement Trust",
    ]


def test_given_a_blank_organisation_then_a_manager_of_one_organisation_imports_for_it(tmp_path, manager, charity):
    result = check(tmp_path, [good_row(organisation="")], manager)
    assert problem_texts(result) == []
    assert result.new[0]["organisation"] == charity.name


def test_given_an_external_id_of_another_organisations_service_then_a_manager_is_not_told_whose(
    tmp_path, manager, other_charity
):
    service_with_external_id(other_charity, "AV-1", name="Calder drop-in")
    assert problem_texts(check(tmp_path, [good_row()], manager)) == [
        "Row 2, External ID: 'AV-1' is already used by another organisation's service. Choose a different ID"
    ]


def test_given_an_external_id_of_another_organisations_service_then_a_curator_is_told_whose(
    tmp_path, curator, charity, other_charity
):
    service_with_external_id(other_charity, "AV-1", name="Calder drop-in")
    assert problem_texts(check(tmp_path, [good_row()], curator)) == [
        "Row 2, External ID: 'AV-1' is already the ID of “Calder drop-in”, run by Calder Lantern Project, not by "
        "Aire Valley Resettlement Trust"
    ]


def test_given_two_organisations_with_the_same_name_then_a_curator_is_asked_to_tell_them_apart(tmp_path, curator):
    OrganisationFactory(name="St Giles"), OrganisationFactory(name="st giles")
    assert problem_texts(check(tmp_path, [good_row(organisation="St Giles")], curator)) == [
        "Row 2, Organisation: 'St Giles' is the name of 2 organisations in Pathways. Give them different names "
        "before importing"
    ]


def test_given_an_existing_service_then_the_plan_lists_what_changes_column_by_column(tmp_path, curator, charity):
    service = service_with_external_id(charity, "AV-1", name="Housing advice", minimum_age=16)
    result = check(tmp_path, [good_row(description="")], curator,
                   keys=["external_id", "organisation", "name", "description", "minimum_age"])
    assert result.new == [] and result.unchanged == []
    assert result.updated == [{
        "row": 2, "external_id": "AV-1", "name": "Housing advice drop-in",
        "organisation": "Aire Valley Resettlement Trust", "service_id": str(service.uuid),
        "changes": [["Service name", "Housing advice", "Housing advice drop-in"], ["Minimum age", "16", "18"]],
    }]


def test_given_a_manager_of_two_organisations_and_a_blank_organisation_then_they_are_asked_which(
    tmp_path, manager, charity, other_charity
):
    from tests.factories import MembershipFactory, role

    MembershipFactory(user=manager, organisation=other_charity, role=role("manager"))
    assert problem_texts(check(tmp_path, [good_row(organisation="")], manager)) == [
        "Row 2, Organisation: enter which of your organisations runs the service: Aire Valley Resettlement Trust "
        "or Calder Lantern Project"
    ]


def test_given_a_worker_then_no_organisation_may_be_named(tmp_path, charity):
    worker = member("front-line-worker", charity)
    result = check(tmp_path, [good_row()], worker)
    assert result.new == []
