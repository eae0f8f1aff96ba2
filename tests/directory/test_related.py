"""A service's related records: locations, times, contacts, funding and work with statutory bodies.

Each change checks permission, keeps a version with what changed, writes the audit entry and keeps search
up to date, all or nothing.
"""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.models import (
    Attendance,
    CheckMethod,
    FundingKind,
    Location,
    PostcodeArea,
    RelationshipBasis,
    ServiceSearchDocument,
    ServiceSearchPoint,
    ValueBand,
)
from pathways.directory.services import related
from pathways.directory.services.records import service_mark_checked
from pathways.organisations.models import PlaceKind
from tests.factories import LocationFactory, OrganisationFactory, PlaceFactory, directory_service, org_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(charity):
    return directory_service(charity, name="Leeds housing advice")


@pytest.fixture
def probation(db):
    return OrganisationFactory(name="Yorkshire Probation", type=org_type("probation-region"))


def location_fields(**changes):
    return {
        "location_type": "physical", "name": "Leeds hub", "description": "", "address_1": "1 Park Row",
        "address_2": "", "city": "Leeds", "region": "", "postcode": "ls1 5ab", "prison": None, "accessibility": "",
    } | changes


def schedule_fields(**changes):
    return {
        "attendance": Attendance.DROP_IN, "weekday": "TU", "opens_at": time(10), "closes_at": time(12),
        "valid_from": None, "valid_to": None, "notes": "", "service_at_location": None,
    } | changes


class TestLocations:
    def test_given_a_new_location_then_it_is_linked_versioned_audited_and_searchable(self, service, manager):
        PostcodeArea.objects.update_or_create(code="LS1", defaults={"latitude": 53.8, "longitude": -1.55})
        link = related.location_add(service=service, by=manager, **location_fields())
        location = link.location
        assert (location.organisation, location.postcode) == (service.organisation, "LS1 5AB")
        assert (location.latitude, location.longitude) == (53.8, -1.55)  # from the postcode district
        version = service.versions.first()
        assert version.summary == "Location added: Leeds hub"
        assert version.created_by == manager
        assert version.changes["locations"] == [[], ["Leeds hub, 1 Park Row, Leeds, LS1 5AB"]]
        assert AuditEntry.objects.filter(action="created", target_id=str(link.pk), actor=manager).exists()
        assert ServiceSearchPoint.objects.filter(service=service, latitude=53.8).exists()

    def test_given_a_provider_changes_a_location_then_it_also_confirms_the_record(self, service, manager, curator):
        service_mark_checked(service=service, by=curator)
        related.location_add(service=service, by=manager, **location_fields())
        service.refresh_from_db()
        assert (service.last_check_method, service.last_checked_by) == (CheckMethod.PROVIDER_CONFIRMED, manager)

    def test_given_a_curator_changes_a_location_then_it_is_not_a_providers_confirmation(self, service, curator):
        before = service.last_checked_at
        related.location_add(service=service, by=curator, **location_fields())
        service.refresh_from_db()
        assert service.last_checked_at == before
        assert service.versions.first().created_by == curator

    def test_given_an_existing_location_of_the_organisation_then_it_is_reused(self, service, manager, charity):
        existing = LocationFactory(organisation=charity, name="Bradford office")
        link = related.location_add(service=service, by=manager, location=existing)
        assert link.location == existing
        with pytest.raises(DomainError, match="already at Bradford office"):
            related.location_add(service=service, by=manager, location=existing)

    def test_given_another_organisations_location_then_it_is_refused(self, service, manager, other_charity):
        with pytest.raises(DomainError) as error:
            related.location_add(service=service, by=manager, location=LocationFactory(organisation=other_charity))
        assert error.value.field == "location"

    def test_given_a_bad_postcode_then_nothing_is_saved(self, service, manager):
        with pytest.raises(DomainError) as error:
            related.location_add(service=service, by=manager, **location_fields(postcode="not a postcode"))
        assert error.value.field == "postcode"
        assert not Location.objects.exists()
        assert service.versions.count() == 1

    def test_given_a_place_to_visit_without_address_postcode_or_prison_then_it_is_refused(self, service, manager):
        with pytest.raises(DomainError, match="address or postcode"):
            related.location_add(service=service, by=manager, **location_fields(address_1="", postcode=""))

    def test_given_a_location_inside_a_prison_then_the_prison_is_enough(self, service, manager):
        prison = PlaceFactory(name="HMP Leeds", kind=PlaceKind.PRISON)
        link = related.location_add(
            service=service, by=manager, **location_fields(address_1="", postcode="", prison=prison)
        )
        assert link.location.prison == prison
        assert "(inside HMP Leeds)" in service.versions.first().snapshot["locations"][0]

    def test_given_a_shared_location_changes_then_every_service_there_gets_a_version(self, service, manager, charity):
        other = directory_service(charity, name="Leeds employment support")
        link = related.location_add(service=service, by=manager, **location_fields())
        related.location_add(service=other, by=manager, location=link.location)
        related.location_update(service_at_location=link, by=manager, **location_fields(address_1="2 Park Row"))
        for each in (service, other):
            latest = each.versions.first()
            assert latest.summary == "Location changed: Leeds hub"
            assert latest.changes["locations"][1] == ["Leeds hub, 2 Park Row, Leeds, LS1 5AB"]

    def test_given_a_location_is_removed_then_its_times_go_and_the_location_stays(self, service, manager):
        link = related.location_add(service=service, by=manager, **location_fields())
        related.schedule_add(service=service, by=manager, **schedule_fields(service_at_location=link))
        related.location_remove(service_at_location=link, by=manager)
        assert not service.service_at_locations.exists()
        assert not service.schedules.exists()
        assert Location.objects.filter(pk=link.location_id).exists()
        latest = service.versions.first()
        assert latest.summary == "Location removed: Leeds hub"
        assert latest.changes["locations"][1] == [] and latest.changes["schedules"][1] == []

    def test_given_a_manager_of_another_organisation_then_every_change_is_refused(self, service, other_manager):
        with pytest.raises(PermissionDenied):
            related.location_add(service=service, by=other_manager, **location_fields())

    def test_given_a_worker_of_the_provider_then_changes_are_refused(self, service, worker):
        with pytest.raises(PermissionDenied):
            related.contact_add(service=service, by=worker, name="Sam")


class TestTimes:
    def test_given_drop_in_times_then_search_knows_it_has_a_drop_in(self, service, manager):
        schedule = related.schedule_add(service=service, by=manager, **schedule_fields(notes="Women only"))
        assert ServiceSearchDocument.objects.get(service=service).has_drop_in
        assert service.versions.first().changes["schedules"] == [[], ["Drop-in Tuesday 10:00–12:00 (Women only)"]]
        related.schedule_update(schedule=schedule, by=manager, **schedule_fields(attendance=Attendance.APPOINTMENT))
        assert not ServiceSearchDocument.objects.get(service=service).has_drop_in

    def test_given_closing_before_opening_then_it_is_refused(self, service, manager):
        with pytest.raises(DomainError) as error:
            related.schedule_add(service=service, by=manager, **schedule_fields(opens_at=time(14), closes_at=time(9)))
        assert error.value.field == "closes_at"
        assert not service.schedules.exists()

    def test_given_an_end_date_before_the_start_then_it_is_refused(self, service, manager):
        with pytest.raises(DomainError) as error:
            related.schedule_add(
                service=service, by=manager, **schedule_fields(valid_from=date(2026, 5, 1), valid_to=date(2026, 4, 1))
            )
        assert error.value.field == "valid_to"

    def test_given_another_services_location_then_it_is_refused(self, service, manager, charity):
        other = directory_service(charity, name="Other")
        link = related.location_add(service=other, by=manager, **location_fields())
        with pytest.raises(DomainError) as error:
            related.schedule_add(service=service, by=manager, **schedule_fields(service_at_location=link))
        assert error.value.field == "service_at_location"

    def test_given_times_are_removed_then_the_version_says_so(self, service, manager):
        schedule = related.schedule_add(service=service, by=manager, **schedule_fields())
        related.schedule_remove(schedule=schedule, by=manager)
        assert service.versions.first().summary == "Times removed: Drop-in Tuesday 10:00–12:00"
        assert AuditEntry.objects.filter(action="removed", target_id=str(service.pk)).exists()


class TestContacts:
    def test_given_a_contact_then_a_change_of_phone_alone_is_a_new_version(self, service, manager):
        contact = related.contact_add(service=service, by=manager, name="Sam Reid", title="", email="", phone="0113 1")
        related.contact_update(contact=contact, by=manager, name="Sam Reid", title="", email="", phone="0113 2")
        assert service.versions.first().changes["contacts"] == [["Sam Reid, 0113 1"], ["Sam Reid, 0113 2"]]

    def test_given_nothing_at_all_then_it_is_refused(self, service, manager):
        with pytest.raises(DomainError, match="at least a name"):
            related.contact_add(service=service, by=manager, name=" ", title="", email="", phone="")

    def test_given_a_bad_email_then_the_field_is_named(self, service, manager):
        with pytest.raises(DomainError) as error:
            related.contact_add(service=service, by=manager, name="Sam", title="", email="not-an-email", phone="")
        assert error.value.field == "email"


class TestFunding:
    def test_given_funding_then_kind_funder_stream_period_and_value_are_kept(self, service, manager, probation):
        related.funding_add(
            service=service, by=manager, kind=FundingKind.CONTRACTED, funder=probation, funder_name="",
            stream="Resettlement 2026", starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31),
            value_band=ValueBand.UNDER_50K,
        )
        assert service.versions.first().changes["funding"][1] == [
            "Contracted directly by a prison or probation service: Yorkshire Probation, Resettlement 2026, "
            "1 April 2026 to 31 March 2027, £10,000 to £50,000 a year"
        ]

    def test_given_no_funder_then_it_is_refused_unless_there_is_no_direct_cost(self, service, manager):
        fields = {"funder": None, "funder_name": "", "stream": "", "starts_on": None, "ends_on": None, "value_band": ""}
        with pytest.raises(DomainError) as error:
            related.funding_add(service=service, by=manager, kind=FundingKind.POOLED, **fields)
        assert error.value.field == "funder"
        related.funding_add(service=service, by=manager, kind=FundingKind.NO_DIRECT_COST, **fields)
        assert service.funding.count() == 1

    def test_given_both_a_listed_funder_and_a_typed_name_then_it_is_refused(self, service, manager, probation):
        with pytest.raises(DomainError, match="not both"):
            related.funding_add(
                service=service, by=manager, kind=FundingKind.OTHER, funder=probation, funder_name="ESF",
                stream="", starts_on=None, ends_on=None, value_band="",
            )


class TestWorkWithStatutoryBodies:
    def test_given_a_contract_then_basis_and_reference_are_kept(self, service, manager, probation):
        relationship = related.relationship_add(
            service=service, by=manager, statutory_body=probation, basis=RelationshipBasis.CONTRACT,
            reference="YP-2026-14", starts_on=None, ends_on=None,
        )
        assert service.versions.first().changes["statutory_relationships"][1] == [
            "Contract with Yorkshire Probation, reference YP-2026-14"
        ]
        related.relationship_remove(relationship=relationship, by=manager)
        assert not service.statutory_relationships.exists()

    def test_given_a_voluntary_organisation_then_it_is_refused(self, service, manager, other_charity):
        with pytest.raises(DomainError, match="is a voluntary organisation") as error:
            related.relationship_add(
                service=service, by=manager, statutory_body=other_charity, basis=RelationshipBasis.GRANT,
                reference="", starts_on=None, ends_on=None,
            )
        assert error.value.field == "statutory_body"


def test_given_an_unpublished_service_then_related_changes_keep_it_out_of_search(charity, manager):
    draft = directory_service(charity, publish=False)
    related.location_add(service=draft, by=manager, **location_fields())
    assert not ServiceSearchPoint.objects.filter(service=draft).exists()
    assert not ServiceSearchDocument.objects.filter(service=draft).exists()


def test_given_a_related_change_then_the_service_counts_as_updated(service, manager):
    earlier = timezone.now() - timedelta(seconds=1)
    related.contact_add(service=service, by=manager, name="Sam", title="", email="", phone="")
    service.refresh_from_db()
    assert service.updated_at > earlier
