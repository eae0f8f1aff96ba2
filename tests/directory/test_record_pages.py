"""A service's public page, reporting a problem, its versions, and the provider's pages that keep it right."""

import uuid
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.directory.models import (
    Attendance,
    ChangeRequest,
    CheckMethod,
    Contact,
    Funding,
    FundingKind,
    Publication,
    RelationshipBasis,
    Schedule,
    Service,
    ServiceAtLocation,
    StatutoryRelationship,
)
from pathways.directory.services import related
from pathways.directory.services.records import change_request_submit, service_mark_checked, service_update
from pathways.organisations.models import PlaceKind
from pathways.taxonomy.models import Term
from tests.factories import LocationFactory, OrganisationFactory, PlaceFactory, directory_service, org_type

pytestmark = pytest.mark.django_db


def url(name, service, **kwargs):
    return reverse(f"directory:{name}", kwargs={"service_id": service.uuid, **kwargs})


@pytest.fixture
def probation(db):
    return OrganisationFactory(name="Yorkshire Probation", type=org_type("probation-region"))


@pytest.fixture
def service(charity, manager):
    return directory_service(
        charity, name="Leeds housing advice", description="Help to find somewhere to live.",
        terms=["pathway-accommodation", "group-women"], areas=[PlaceFactory(name="Leeds")],
        minimum_age=18, maximum_age=25, in_custody=True, through_the_gate=True, self_referral=True,
        languages=["English", "Urdu"], typical_wait_days=7, peer_led=True, phone="0113 496 0000",
    )


@pytest.fixture
def draft(charity):
    return directory_service(charity, publish=False, name="Bradford mentoring")


class TestTheServicePage:
    def test_given_anyone_then_a_published_service_shows_everything_a_worker_needs(
        self, client, service, manager, probation
    ):
        link = related.location_add(
            service=service, by=manager, location_type="physical", name="Leeds hub", description="",
            address_1="1 Park Row", address_2="", city="Leeds", region="", postcode="LS1 5AB",
            prison=PlaceFactory(name="HMP Leeds", kind=PlaceKind.PRISON), accessibility="Step-free entrance",
        )
        related.schedule_add(
            service=service, by=manager, attendance=Attendance.DROP_IN, weekday="TU", opens_at=time(10),
            closes_at=time(12), valid_from=None, valid_to=None, notes="", service_at_location=link,
        )
        related.contact_add(service=service, by=manager, name="Sam Reid", title="Housing worker",
                            email="sam@example.org", phone="")
        related.funding_add(service=service, by=manager, kind=FundingKind.POOLED, funder=None,
                            funder_name="Supporting People", stream="", starts_on=None, ends_on=None, value_band="")
        related.relationship_add(service=service, by=manager, statutory_body=probation,
                                 basis=RelationshipBasis.CONTRACT, reference="YP-14", starts_on=None, ends_on=None)
        response = client.get(url("service", service))
        content = response.content.decode()
        assert response.status_code == 200
        for expected in [
            "Leeds housing advice", "Help to find somewhere to live.", "18 to 25", "In custody (in prison)",
            "Through the gate", "People can refer themselves", "Accommodation", "Women", "Leeds hub",
            "LS1 5AB", "Inside HMP Leeds", "Step-free entrance", "Tuesday", "10:00 to 12:00", "Drop-in",
            "Sam Reid", "sam@example.org", "Supporting People", "A pooled budget", "Yorkshire Probation",
            "Contract", "English, Urdu", "About 7 days", "Peer-led", "0113 496 0000",
            "Report a problem or suggest a change",
        ]:
            assert expected in content, expected
        assert "YP-14" not in content  # contract references are for people who are signed in
        assert "by the provider, who confirmed it" in content
        assert manager.full_name not in content
        assert url("service-edit", service) not in content

    def test_given_someone_signed_in_then_they_see_references_and_who_checked_it(
        self, client, service, manager, other_manager, probation
    ):
        related.relationship_add(service=service, by=manager, statutory_body=probation,
                                 basis=RelationshipBasis.CONTRACT, reference="YP-14", starts_on=None, ends_on=None)
        client.force_login(other_manager)
        content = client.get(url("service", service)).content.decode()
        assert "YP-14" in content
        assert f"by {manager.full_name}, confirmed by the provider" in content
        assert url("service-edit", service) not in content

    def test_given_a_stale_record_then_a_warning_is_shown(self, client, service):
        Service.objects.filter(pk=service.pk).update(last_checked_at=timezone.now() - timedelta(days=400))
        content = client.get(url("service", service)).content.decode()
        assert "govuk-warning-text" in content and "not been checked for more than 12 months" in content

    def test_given_a_fresh_record_then_no_warning(self, client, service):
        assert "govuk-warning-text" not in client.get(url("service", service)).content.decode()

    def test_given_a_bad_id_then_it_is_not_found(self, client):
        assert client.get(reverse("directory:service", args=[uuid.uuid4()])).status_code == 404

    def test_given_a_draft_then_the_public_and_other_organisations_get_not_found(self, client, draft, other_manager):
        assert client.get(url("service", draft)).status_code == 404
        client.force_login(other_manager)
        assert client.get(url("service", draft)).status_code == 404

    def test_given_a_draft_then_its_workers_see_it_tagged_but_cannot_change_it(self, client, draft, worker):
        client.force_login(worker)
        content = client.get(url("service", draft)).content.decode()
        assert 'govuk-tag--grey">Draft</strong>' in content
        assert url("service-edit", draft) not in content

    def test_given_its_manager_then_they_see_how_to_keep_it_right(self, client, draft, manager):
        client.force_login(manager)
        content = client.get(url("service", draft)).content.decode()
        for name in ("service-edit", "service-records", "service-versions", "service-publish", "service-confirm"):
            assert url(name, draft) in content, name
        assert url("service-verify", draft) not in content

    def test_given_a_curator_then_they_see_a_withdrawn_record_and_can_verify_it(self, client, service, curator, manager):
        service.publication = Publication.WITHDRAWN
        service.save()
        client.force_login(curator)
        content = client.get(url("service", service)).content.decode()
        assert "Withdrawn</strong>" in content
        assert url("service-verify", service) in content
        assert url("service-publish", service) in content
        assert url("service-confirm", service) not in content


class TestReportingAProblem:
    def test_given_anyone_then_they_report_with_suggestions_and_see_the_confirmation(
        self, client, service, mailoutbox, django_capture_on_commit_callbacks, manager
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("service-report", service), {
                "message": "The phone number has changed.", "phone": "0113 496 0999", "name": service.name,
                "email": "", "url": "", "description": "", "reporter_name": "Ana", "reporter_email": "Ana@Example.org",
            })
        assert response.status_code == 302
        assert response.url == url("service-report-sent", service)
        request = ChangeRequest.objects.get()
        assert request.suggested_changes == {"phone": "0113 496 0999"}  # an unchanged name is not a suggestion
        assert (request.reporter_name, request.reporter_email, request.reporter) == ("Ana", "ana@example.org", None)
        assert [message.to for message in mailoutbox] == [[manager.email]]
        assert "ana@example.org" not in mailoutbox[0].body
        assert "Report sent" in client.get(response.url).content.decode()

    def test_given_an_empty_report_then_the_error_summary_says_what_to_do(self, client, service):
        response = client.post(url("service-report", service), {"message": "  ", "phone": "0113 1"})
        content = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in content and "Describe the problem or the change" in content
        assert 'value="0113 1"' in content
        assert not ChangeRequest.objects.exists()

    def test_given_very_long_input_then_it_is_refused(self, client, service):
        response = client.post(url("service-report", service), {"message": "x" * 5001, "reporter_name": "y" * 201})
        content = response.content.decode()
        assert "5,000 characters or fewer" in content and "200 characters or fewer" in content
        assert not ChangeRequest.objects.exists()

    def test_given_a_bad_email_or_website_then_they_are_named(self, client, service):
        content = client.post(url("service-report", service), {
            "message": "Wrong", "reporter_email": "ana@", "url": "not a web address",
        }).content.decode()
        assert "Enter an email address in the correct format" in content
        assert "Enter the web address in full" in content

    def test_given_a_draft_then_the_public_cannot_report_on_it(self, client, draft):
        assert client.get(url("service-report", draft)).status_code == 404
        assert client.post(url("service-report", draft), {"message": "Hello"}).status_code == 404

    def test_given_a_bad_id_then_it_is_not_found(self, client):
        assert client.get(reverse("directory:service-report", args=[uuid.uuid4()])).status_code == 404

    def test_given_a_report_then_the_reporter_is_never_shown_on_the_public_page(self, client, service):
        change_request_submit(service=service, message="Closed", reporter_name="Ana Reporter",
                              reporter_email="ana@example.org")
        content = client.get(url("service", service)).content.decode()
        assert "Ana Reporter" not in content and "ana@example.org" not in content


class TestVersions:
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, service):
        response = client.get(url("service-versions", service))
        assert response.status_code == 302 and response.url.startswith(reverse("web:sign-in"))

    def test_given_a_worker_then_it_is_forbidden(self, client, service, worker):
        client.force_login(worker)
        assert client.get(url("service-versions", service)).status_code == 403

    def test_given_another_organisation_then_it_is_not_found(self, client, service, other_manager):
        client.force_login(other_manager)
        assert client.get(url("service-versions", service)).status_code == 404

    def test_given_a_bad_id_then_it_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("directory:service-versions", args=[uuid.uuid4()])).status_code == 404

    def test_given_the_provider_then_every_version_is_dated_attributed_and_readable(self, client, service, manager):
        service_update(
            service=service, by=manager, name="Leeds housing and advice", self_referral=False,
            terms=Term.objects.filter(code__in=["pathway-accommodation", "group-young-adults"]),
        )
        client.force_login(manager)
        content = client.get(url("service-versions", service)).content.decode()
        assert "Version 2: Edited" in content and "Version 1: Created" in content
        assert f"by {manager.full_name}" in content
        assert "Leeds housing advice" in content and "Leeds housing and advice" in content
        assert "Self-referral" in content
        added = content.index("<strong>Added:</strong>")
        removed = content.index("<strong>Removed:</strong>")
        assert content.index("Young adults (18 to 25)", added) > added  # terms read by name, not code
        assert content.index("Women", removed) > removed
        assert "group-young-adults" not in content

    def test_given_a_curator_then_they_see_the_versions(self, client, service, curator):
        client.force_login(curator)
        assert client.get(url("service-versions", service)).status_code == 200


class TestTheProvidersListOfServices:
    def list_url(self, organisation):
        return reverse("directory:organisation-services", args=[organisation.slug])

    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, charity):
        assert client.get(self.list_url(charity)).status_code == 302

    def test_given_a_worker_then_it_is_forbidden(self, client, charity, worker):
        client.force_login(worker)
        assert client.get(self.list_url(charity)).status_code == 403

    def test_given_another_organisation_then_it_is_not_found(self, client, charity, other_manager):
        client.force_login(other_manager)
        assert client.get(self.list_url(charity)).status_code == 404

    def test_given_a_bad_slug_then_it_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get("/directory/organisations/no-such-organisation/services/").status_code == 404

    def test_given_its_manager_then_they_see_freshness_and_waiting_requests(self, client, charity, manager, service,
                                                                           draft, other_manager):
        directory_service(other_manager.memberships.get().organisation, name="Someone else's service")
        Service.objects.filter(pk=draft.pk).update(last_checked_at=timezone.now() - timedelta(days=400))
        change_request_submit(service=service, message="Moved")
        client.force_login(manager)
        content = client.get(self.list_url(charity)).content.decode()
        assert "Leeds housing advice" in content and "Bradford mentoring" in content
        assert "Someone else" not in content
        assert "Out of date" in content and "Up to date" in content
        assert "Change requests (1 waiting)" in content

    def test_given_a_curator_then_they_see_any_organisations_list(self, client, charity, curator):
        client.force_login(curator)
        assert client.get(self.list_url(charity)).status_code == 200


def service_form_data(**changes):
    data = {
        "name": "Wakefield women's centre", "description": "A safe place for women.", "status": "active",
        "alert": "", "url": "", "email": "", "phone": "", "minimum_age": "18", "maximum_age": "",
        "gender": "women", "settings": ["in_community"], "eligibility": "", "routes": ["self_referral"],
        "referral_details": "", "is_free": "on", "fees": "", "languages": "english, Polish, English",
        "accreditations": "", "capacity": "", "typical_wait_days": "",
        "terms_pathways": [Term.objects.get(code="pathway-women-abuse").pk],
    }
    return {**data, **changes}


class TestAddingAndEditingAService:
    def add_url(self, organisation):
        return reverse("directory:service-add", args=[organisation.slug])

    def test_given_a_worker_then_adding_is_forbidden(self, client, charity, worker):
        client.force_login(worker)
        assert client.get(self.add_url(charity)).status_code == 403

    def test_given_another_organisation_then_adding_is_not_found(self, client, charity, other_manager):
        client.force_login(other_manager)
        assert client.post(self.add_url(charity), service_form_data()).status_code == 404
        assert not Service.objects.exists()

    def test_given_its_manager_then_a_draft_is_added_with_its_terms_and_areas(self, client, charity, manager):
        wakefield = PlaceFactory(name="Wakefield")
        client.force_login(manager)
        response = client.post(self.add_url(charity), service_form_data(areas_local_authority=[wakefield.pk]))
        service = Service.objects.get()
        assert response.status_code == 302 and response.url == url("service-records", service)
        assert service.publication == Publication.DRAFT
        assert (service.gender, service.in_community, service.in_custody, service.self_referral) == (
            "women", True, False, True
        )
        assert service.languages == ["English", "Polish"]
        assert list(service.terms.values_list("code", flat=True)) == ["pathway-women-abuse"]
        assert list(service.areas.all()) == [wakefield]

    def test_given_mistakes_then_the_form_names_them_and_keeps_what_was_typed(self, client, charity, manager):
        client.force_login(manager)
        response = client.post(self.add_url(charity), service_form_data(
            name="", minimum_age="30", maximum_age="18", email="nope", routes=["self_referral", "statutory_referral_only"],
        ))
        content = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in content
        for message in ("Enter the name of the service", "The oldest age must be the same as or more than",
                        "Enter an email address in the correct format", "Choose statutory referral only on its own"):
            assert message in content, message
        assert "A safe place for women." in content and 'value="30"' in content
        assert not Service.objects.exists()

    def test_given_its_manager_then_an_edit_is_saved_and_confirms_the_record(self, client, service, manager, curator):
        service_mark_checked(service=service, by=curator)
        client.force_login(manager)
        edit = client.get(url("service-edit", service)).content.decode()
        assert 'value="English, Urdu"' in edit and 'value="Leeds housing advice"' in edit
        response = client.post(url("service-edit", service), service_form_data(name="Leeds housing help"))
        assert response.status_code == 302 and response.url == url("service", service)
        service.refresh_from_db()
        assert service.name == "Leeds housing help"
        assert service.last_check_method == CheckMethod.PROVIDER_CONFIRMED
        assert service.versions.first().created_by == manager

    def test_given_a_worker_then_editing_is_forbidden(self, client, service, worker):
        client.force_login(worker)
        assert client.get(url("service-edit", service)).status_code == 403
        assert client.post(url("service-edit", service), service_form_data()).status_code == 403

    def test_given_another_organisation_then_editing_is_not_found(self, client, service, other_manager):
        client.force_login(other_manager)
        assert client.get(url("service-edit", service)).status_code == 404

    def test_given_a_bad_id_then_editing_is_not_found(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("directory:service-edit", args=[uuid.uuid4()])).status_code == 404

    def test_given_an_anonymous_visitor_then_editing_sends_them_to_sign_in(self, client, service):
        assert client.get(url("service-edit", service)).status_code == 302

    def test_given_a_curator_then_they_edit_any_service(self, client, service, curator):
        client.force_login(curator)
        response = client.post(url("service-edit", service), service_form_data(name="Renamed by a curator"))
        assert response.status_code == 302
        assert Service.objects.get(pk=service.pk).name == "Renamed by a curator"


class TestPublishingWithdrawingAndConfirming:
    def test_given_its_manager_then_publishing_needs_a_confirmation(self, client, draft, manager):
        client.force_login(manager)
        assert "Publish this service?" in client.get(url("service-publish", draft)).content.decode()
        response = client.post(url("service-publish", draft))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.publication == Publication.PUBLISHED and draft.first_published_at is not None
        client.logout()
        assert client.get(url("service", draft)).status_code == 200

    def test_given_its_manager_then_withdrawing_hides_it_from_the_public(self, client, service, manager):
        client.force_login(manager)
        client.post(url("service-withdraw", service))
        client.logout()
        assert client.get(url("service", service)).status_code == 404

    def test_given_a_worker_then_publishing_is_forbidden(self, client, draft, worker):
        client.force_login(worker)
        assert client.post(url("service-publish", draft)).status_code == 403
        assert Service.objects.get(pk=draft.pk).publication == Publication.DRAFT

    def test_given_another_organisation_then_withdrawing_is_not_found(self, client, service, other_manager):
        client.force_login(other_manager)
        assert client.post(url("service-withdraw", service)).status_code == 404

    def test_given_its_manager_then_confirming_marks_it_checked_by_the_provider(self, client, service, manager):
        Service.objects.filter(pk=service.pk).update(last_checked_at=timezone.now() - timedelta(days=320))
        client.force_login(manager)
        assert "Is this record still right?" in client.get(url("service-confirm", service)).content.decode()
        response = client.post(url("service-confirm", service))
        assert response.status_code == 302
        service.refresh_from_db()
        assert service.last_checked_at > timezone.now() - timedelta(minutes=1)
        assert (service.last_checked_by, service.last_check_method) == (manager, CheckMethod.PROVIDER_CONFIRMED)

    def test_given_a_worker_or_a_curator_then_confirming_as_the_provider_is_forbidden(
        self, client, service, worker, curator
    ):
        for person in (worker, curator):
            client.force_login(person)
            assert client.post(url("service-confirm", service)).status_code == 403

    def test_given_another_organisation_or_a_bad_id_then_confirming_is_not_found(self, client, service, other_manager):
        client.force_login(other_manager)
        assert client.post(url("service-confirm", service)).status_code == 404
        assert client.get(reverse("directory:service-confirm", args=[uuid.uuid4()])).status_code == 404

    def test_given_an_anonymous_visitor_from_a_reminder_then_they_sign_in_first(self, client, service):
        response = client.get(url("service-confirm", service))
        assert response.status_code == 302 and "next=" in response.url


class TestRelatedRecordPages:
    def test_given_its_manager_then_the_records_page_lists_everything_with_links(self, client, service, manager):
        related.contact_add(service=service, by=manager, name="Sam Reid", title="", email="", phone="")
        client.force_login(manager)
        content = client.get(url("service-records", service)).content.decode()
        assert "Sam Reid" in content
        contact = Contact.objects.get()
        assert url("service-contact-edit", service, record_id=contact.pk) in content
        for kind in ("location", "schedule", "contact", "funding", "relationship"):
            assert url(f"service-{kind}-add", service) in content

    def test_given_a_worker_or_another_organisation_then_refused(self, client, service, worker, other_manager):
        client.force_login(worker)
        assert client.get(url("service-records", service)).status_code == 403
        assert client.get(url("service-contact-add", service)).status_code == 403
        client.force_login(other_manager)
        assert client.get(url("service-records", service)).status_code == 404
        assert client.post(url("service-contact-add", service), {"name": "Taken"}).status_code == 404
        assert not Contact.objects.exists()

    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, service):
        assert client.get(url("service-location-add", service)).status_code == 302

    def test_given_a_new_location_then_it_is_added(self, client, service, manager):
        client.force_login(manager)
        response = client.post(url("service-location-add", service), {
            "location_type": "physical", "name": "Leeds hub", "address_1": "1 Park Row", "city": "Leeds",
            "postcode": "ls15ab",
        })
        assert response.status_code == 302
        assert ServiceAtLocation.objects.get(service=service).location.postcode == "LS1 5AB"

    def test_given_an_existing_location_then_it_is_chosen_instead(self, client, service, manager, charity):
        existing = LocationFactory(organisation=charity, name="Bradford office")
        client.force_login(manager)
        page = client.get(url("service-location-add", service)).content.decode()
        assert "Bradford office" in page
        client.post(url("service-location-add", service), {"existing": existing.pk, "location_type": "physical"})
        assert ServiceAtLocation.objects.get(service=service).location == existing

    def test_given_a_bad_postcode_then_the_form_says_so_and_keeps_the_address(self, client, service, manager):
        client.force_login(manager)
        content = client.post(url("service-location-add", service), {
            "location_type": "physical", "name": "Leeds hub", "address_1": "1 Park Row", "postcode": "12345",
        }).content.decode()
        assert "govuk-error-summary" in content and "Enter a real postcode" in content
        assert 'value="1 Park Row"' in content
        assert not ServiceAtLocation.objects.exists()

    def test_given_times_then_they_are_added_changed_and_removed(self, client, service, manager):
        client.force_login(manager)
        data = {"attendance": "drop_in", "weekday": "WE", "opens_at": "10:00", "closes_at": "12:30",
                "valid_from_0": "", "valid_from_1": "", "valid_from_2": "",
                "valid_to_0": "", "valid_to_1": "", "valid_to_2": "", "notes": ""}
        assert client.post(url("service-schedule-add", service), data).status_code == 302
        schedule = Schedule.objects.get()
        assert (schedule.weekday, schedule.closes_at) == ("WE", time(12, 30))
        edit = url("service-schedule-edit", service, record_id=schedule.pk)
        assert 'value="10:00"' in client.get(edit).content.decode()
        client.post(edit, {**data, "closes_at": "13:00"})
        schedule.refresh_from_db()
        assert schedule.closes_at == time(13)
        remove = url("service-schedule-remove", service, record_id=schedule.pk)
        assert "Remove times?" in client.get(remove).content.decode()
        client.post(remove)
        assert not Schedule.objects.exists()

    def test_given_closing_before_opening_then_the_form_says_so(self, client, service, manager):
        client.force_login(manager)
        content = client.post(url("service-schedule-add", service), {
            "attendance": "drop_in", "weekday": "WE", "opens_at": "14:00", "closes_at": "9am",
        }).content.decode()
        assert "the closing time must be after the opening time" in content
        assert 'value="14:00"' in content

    def test_given_another_services_record_then_it_is_not_found(self, client, service, manager, charity):
        other = directory_service(charity, name="Other")
        contact = related.contact_add(service=other, by=manager, name="Sam", title="", email="", phone="")
        client.force_login(manager)
        assert client.get(url("service-contact-edit", service, record_id=contact.pk)).status_code == 404
        assert client.post(url("service-contact-remove", service, record_id=contact.pk)).status_code == 404
        assert client.get(url("service-contact-edit", service, record_id=999999)).status_code == 404
        assert Contact.objects.filter(pk=contact.pk).exists()

    def test_given_funding_and_a_statutory_body_then_they_are_added(self, client, service, manager, probation):
        client.force_login(manager)
        assert client.post(url("service-funding-add", service), {
            "kind": "contracted", "funder": probation.pk, "funder_name": "", "stream": "Resettlement",
            "starts_on_0": "1", "starts_on_1": "4", "starts_on_2": "2026",
            "ends_on_0": "31", "ends_on_1": "3", "ends_on_2": "2027", "value_band": "10k_50k",
        }).status_code == 302
        funding = Funding.objects.get()
        assert (funding.funder, funding.ends_on.year) == (probation, 2027)
        assert client.post(url("service-relationship-add", service), {
            "statutory_body": probation.pk, "basis": "in_kind", "reference": "",
        }).status_code == 302
        assert StatutoryRelationship.objects.get().basis == RelationshipBasis.IN_KIND

    def test_given_funding_without_a_funder_then_the_form_says_so(self, client, service, manager):
        client.force_login(manager)
        content = client.post(url("service-funding-add", service), {"kind": "pooled"}).content.decode()
        assert "choose the funder, or type its name" in content
        assert not Funding.objects.exists()
