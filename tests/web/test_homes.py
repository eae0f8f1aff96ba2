"""Each role signs in to a home made for that role, for the organisation they act for."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains, assertTemplateUsed

from pathways.organisations.middleware import SESSION_KEY
from pathways.organisations.models import Invitation, PlaceKind
from tests.factories import MembershipFactory, OrganisationFactory, PlaceFactory, UserFactory, member, org_type, role

from .conftest import main_of


def home(client, user):
    client.force_login(user)
    return client.get(reverse("web:home"))


def caption(text):
    return f'<span class="govuk-caption-l">{text}</span>'


@pytest.mark.parametrize(
    "person, heading, template",
    [
        ("manager", "Manager at Aire Valley Resettlement Trust", "web/homes/manager.html"),
        ("worker", "Front-line worker at Aire Valley Resettlement Trust", "web/homes/worker.html"),
        ("volunteer", "Volunteer or peer mentor at Aire Valley Resettlement Trust", "web/homes/volunteer.html"),
        ("commissioner", "Commissioner at West Yorkshire Probation", "web/homes/commissioner.html"),
        ("development_worker", "Partnership development worker at Ridings Voluntary Action", "web/homes/agency.html"),
        ("evaluator", "Evaluator at Calder Lantern Project", "web/homes/evaluator.html"),
        ("curator", "Directory curator at Ridings Voluntary Action", "web/homes/curator.html"),
    ],
)
def test_given_a_role_when_signed_in_then_home_names_the_role_the_organisation_and_the_person(
    client, db, request, person, heading, template
):
    user = request.getfixturevalue(person)
    response = home(client, user)
    assertTemplateUsed(response, template)
    page = main_of(response)
    assert caption(heading) in page
    assertInHTML(f'<h1 class="govuk-heading-l">Hello, {user.get_short_name()}</h1>', page)


def test_given_someone_signed_out_when_they_open_pathways_then_they_see_the_landing_page(client, db):
    response = client.get(reverse("web:home"))
    assertTemplateUsed(response, "web/landing.html")
    assertContains(response, "How to get an account")
    assertContains(response, f'href="{reverse("web:sign-in")}"')


def test_given_no_current_membership_then_the_home_explains_how_to_be_invited(client, db):
    user = UserFactory(full_name="Nia Nobody")
    response = home(client, user)
    assertTemplateUsed(response, "web/homes/no_membership.html")
    assertContains(response, "You are not part of any organisation")
    assertContains(response, "Ask the manager of the organisation you work or volunteer for to invite you")
    assertContains(response, user.email)


def test_given_a_membership_that_has_ended_then_the_person_has_the_home_for_no_membership(client, worker):
    worker.memberships.update(ended_at=timezone.now())
    assertTemplateUsed(home(client, worker), "web/homes/no_membership.html")


def test_given_two_roles_in_one_organisation_then_the_manager_home_wins_over_evaluator(client, charity, manager):
    MembershipFactory(user=manager, organisation=charity, role=role("evaluator"))
    response = home(client, manager)
    assertTemplateUsed(response, "web/homes/manager.html")
    assert caption("Manager at Aire Valley Resettlement Trust") in main_of(response)


def test_given_a_role_its_organisation_type_does_not_allow_then_the_home_says_so(client, charity):
    # Commissioning needs an organisation that can commission; a charity cannot.
    user = member("commissioner", charity, full_name="Kim Misplaced")
    response = home(client, user)
    assertTemplateUsed(response, "web/homes/member.html")
    assertContains(response, caption("Commissioner at Aire Valley Resettlement Trust"))
    assertContains(response, "does not give you anything to do for a voluntary organisation or charity")


# Manager -------------------------------------------------------------------------------------------

def test_manager_home_summarises_the_organisation(client, charity, manager):
    charity.annual_income = Decimal("250000")
    charity.save()
    charity.areas.set([PlaceFactory(name="Leeds"), PlaceFactory(name="Bradford")])
    page = main_of(home(client, manager))
    assert "Voluntary organisation or charity" in page
    assert "Medium (£100,000 to £1 million)" in page
    assert "Bradford, Leeds" in page


def test_manager_home_counts_the_team_and_lists_waiting_invitations_only(client, charity, manager, worker):
    MembershipFactory(organisation=charity, role=role("volunteer"), ended_at=timezone.now())  # has left
    now = timezone.now()
    for email, expires in [("waiting@example.org", now + timedelta(days=5)), ("late@example.org", now - timedelta(days=1))]:
        Invitation.objects.create(
            organisation=charity, role=role("volunteer"), email=email, token_hash=email.ljust(64, "x"),
            invited_by=manager, expires_at=expires,
        )
    page = main_of(home(client, manager))
    assert "2 people use Pathways for Aire Valley Resettlement Trust" in page
    assert "waiting@example.org" in page
    assert "late@example.org" not in page


def test_manager_home_links_to_team_invitations_details_and_audit_trail(client, charity, manager):
    page = main_of(home(client, manager))
    for name in ("organisations:team", "organisations:invite", "organisations:edit", "organisations:audit-trail"):
        assert f'href="{reverse(name, args=[charity.slug])}"' in page


# Front-line worker and volunteer -------------------------------------------------------------------

def test_worker_home_lists_colleagues_with_their_roles_and_not_other_organisations(
    client, charity, manager, worker, volunteer, other_manager
):
    page = main_of(home(client, worker))
    assertInHTML('<th scope="row" class="govuk-table__header">Morgan Manager</th><td class="govuk-table__cell">Manager</td>', page)
    assertInHTML(
        '<th scope="row" class="govuk-table__header">Vic Volunteer</th>'
        '<td class="govuk-table__cell">Volunteer or peer mentor</td>',
        page,
    )
    assert "Wren Worker" not in page
    assert "Olu Other" not in page


def test_a_colleague_with_two_roles_appears_once_with_both(client, charity, manager, worker):
    MembershipFactory(user=manager, organisation=charity, role=role("evaluator"))
    page = main_of(home(client, worker))
    assert page.count("Morgan Manager") == 1
    assertInHTML('<td class="govuk-table__cell">Manager, Evaluator</td>', page)


def test_worker_home_says_the_worker_decides_what_is_reported(client, worker):
    assertContains(home(client, worker), "Nothing is sent about a client without your decision.")


def test_volunteer_home_says_they_see_no_sensitive_information(client, volunteer):
    response = home(client, volunteer)
    assertContains(response, "You do not see or record sensitive information")
    assertNotContains(response, "Nothing is sent about a client without your decision.")


def test_the_only_person_in_an_organisation_is_told_nobody_else_uses_it(client, worker):
    assertContains(home(client, worker), "Nobody else at Aire Valley Resettlement Trust uses Pathways yet.")


def test_worker_home_reads_colleagues_in_a_fixed_number_of_queries(client, charity, worker):
    def queries():
        client.force_login(worker)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("web:home"))
        return len(captured)

    member("volunteer", charity)
    few = queries()
    for _ in range(5):
        member("manager", charity)
    assert queries() == few


# Commissioner --------------------------------------------------------------------------------------

def test_commissioner_home_lists_voluntary_organisations_working_in_or_across_its_areas(
    client, commissioner, west_yorkshire
):
    leeds = PlaceFactory(name="Leeds", parent=west_yorkshire)
    elsewhere = PlaceFactory(kind=PlaceKind.PROBATION_REGION, name="Kent")

    def organisation(name, area, type_code="charity", income=None):
        organisation = OrganisationFactory(name=name, type=org_type(type_code), annual_income=income)
        organisation.areas.set([area])

    organisation("Leeds Local Charity", leeds, income=Decimal("8000"))
    organisation("Region Wide Enterprise", west_yorkshire.parent, type_code="social-enterprise")
    organisation("Kent Charity", elsewhere)
    organisation("Leeds City Council", leeds, type_code="local-authority")

    page = main_of(home(client, commissioner))
    assert "West Yorkshire" in page
    assertInHTML(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Leeds Local Charity</th>'
        '<td class="govuk-table__cell">Voluntary organisation or charity</td>'
        '<td class="govuk-table__cell">Micro (under £10,000)</td></tr>',
        page,
    )
    assertInHTML(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Region Wide Enterprise</th>'
        '<td class="govuk-table__cell">Social enterprise or community interest company</td>'
        '<td class="govuk-table__cell">Not known</td></tr>',
        page,
    )
    assert "Kent Charity" not in page
    assert "Leeds City Council" not in page


def test_commissioner_without_areas_is_told_what_is_missing(client, probation, commissioner):
    probation.areas.clear()
    response = home(client, commissioner)
    assertContains(response, "No areas are recorded for West Yorkshire Probation.")


# Partnership development worker -------------------------------------------------------------------

def _incomes(*incomes, type_code="charity", areas=()):
    for income in incomes:
        organisation = OrganisationFactory(type=org_type(type_code), annual_income=income)
        organisation.areas.set(areas)


def _count_row(label, count):
    return (
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{label}</th>'
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{count}</td></tr>'
    )


def test_agency_home_counts_voluntary_organisations_by_size_band_and_type(client, development_worker):
    _incomes(Decimal("5000"), Decimal("50000"), Decimal("60000"), None)
    _incomes(Decimal("2000000"), type_code="social-enterprise")
    _incomes(Decimal("9000000"), type_code="prime-provider")  # not voluntary sector
    page = main_of(home(client, development_worker))
    assert "there are 5 voluntary sector organisations" in " ".join(page.split())
    assertInHTML(_count_row("Micro (under £10,000)", 1), page)
    assertInHTML(_count_row("Small (£10,000 to £100,000)", 2), page)
    assertInHTML(_count_row("Large (£1 million to £10 million)", 1), page)
    assertInHTML(_count_row("Major (£10 million to £100 million)", 0), page)
    assertInHTML(_count_row("Not known", 1), page)
    assertInHTML(_count_row("Voluntary organisation or charity", 4), page)
    assertInHTML(_count_row("Social enterprise or community interest company", 1), page)


def test_agency_with_areas_counts_only_organisations_in_its_region(
    client, infrastructure_body, development_worker, west_yorkshire
):
    infrastructure_body.areas.set([west_yorkshire.parent])
    _incomes(Decimal("5000"), Decimal("5000"), areas=[west_yorkshire])
    _incomes(Decimal("5000"), areas=[PlaceFactory(kind=PlaceKind.REGION, name="South East")])
    page = main_of(home(client, development_worker))
    assert "In Yorkshire and the Humber there are 2 voluntary sector organisations" in " ".join(page.split())
    assertInHTML(_count_row("Micro (under £10,000)", 2), page)


# Evaluator -----------------------------------------------------------------------------------------

def test_evaluator_home_lists_every_organisation_they_belong_to_as_interests(
    client, charity, other_charity, evaluator
):
    MembershipFactory(user=evaluator, organisation=charity, role=role("volunteer"))
    ended = OrganisationFactory(name="Former Employer Trust")
    MembershipFactory(user=evaluator, organisation=ended, role=role("manager"), ended_at=timezone.now())
    client.force_login(evaluator)
    session = client.session
    session[SESSION_KEY] = other_charity.pk
    session.save()
    page = main_of(client.get(reverse("web:home")))
    assert "Interests you would declare" in page
    assert "Calder Lantern Project" in page
    assert "Aire Valley Resettlement Trust" in page
    assert "Volunteer or peer mentor" in page
    assert "Former Employer Trust" not in page


# Curator -------------------------------------------------------------------------------------------

def test_curator_home_counts_organisations_by_type_and_links_to_the_lists(client, charity, other_charity, curator):
    page = main_of(home(client, curator))
    assertInHTML(_count_row("Voluntary organisation or charity", 2), page)
    assertInHTML(_count_row("Infrastructure body", 1), page)
    assertInHTML(_count_row("Prison", 0), page)
    assert f'href="{reverse("organisations:list")}"' in page
    assert f'href="{reverse("taxonomy:lists")}"' in page


def test_curator_home_shows_recently_changed_organisations_newest_first(client, charity, other_charity, curator):
    charity.description = "Changed just now"
    charity.save()
    page = main_of(home(client, curator))
    recent = page[page.index("Recently changed"):]
    assert recent.index("Aire Valley Resettlement Trust") < recent.index("Calder Lantern Project")
