"""The service navigation and the account bar, by who is signed in and what they may do."""

import re

from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import MembershipFactory, OrganisationFactory, PlaceFactory, UserFactory, member, org_type, role


def nav_labels(response) -> list[str]:
    nav = re.search(r'<nav aria-label="Menu".*?</nav>', response.content.decode(), re.S).group(0)
    return [" ".join(re.sub(r"<[^>]+>", "", label).split()) for label in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]


def current_label(response) -> str:
    match = re.search(r'aria-current="page">\s*<strong[^>]*>([^<]+)</strong>', response.content.decode())
    return match.group(1) if match else ""


def test_signed_out_navigation_offers_home_services_opportunities_and_sign_in(client, db):
    assert nav_labels(client.get(reverse("web:home"))) == ["Home", "Find services", "Opportunities", "Sign in"]


def test_manager_navigation_has_their_organisation_its_services_its_bids_and_its_audit_trail(client, manager):
    client.force_login(manager)
    assert nav_labels(client.get(reverse("web:home"))) == [
        "Home", "Find services", "Opportunities", "Your organisation", "Your services", "Your bids", "Audit trail"
    ]


def test_someone_on_an_evaluation_panel_has_their_evaluations_even_with_no_organisation(client, db):
    from pathways.commissioning.models import PanelMember
    from tests.commissioning.factories import published

    evaluator = UserFactory()
    client.force_login(evaluator)
    assert "Your evaluations" not in nav_labels(client.get(reverse("web:home")))
    buyer = OrganisationFactory(type=org_type("probation-region"), email="buyer@example.org")
    PanelMember.objects.create(opportunity=published(buyer, areas=[PlaceFactory()]), user=evaluator)
    assert nav_labels(client.get(reverse("web:home")))[-1] == "Your evaluations"


def test_worker_navigation_has_no_audit_trail(client, worker):
    client.force_login(worker)
    assert nav_labels(client.get(reverse("web:home"))) == ["Home", "Find services", "Opportunities", "Your organisation"]


def test_curator_navigation_adds_curation_organisations_and_shared_lists(client, curator):
    client.force_login(curator)
    labels = nav_labels(client.get(reverse("web:home")))
    assert labels == ["Home", "Find services", "Opportunities", "Your organisation", "Curation", "Organisations", "Shared lists"]


def test_someone_with_no_organisation_has_only_home(client, db):
    client.force_login(UserFactory())
    assert nav_labels(client.get(reverse("web:home"))) == ["Home", "Find services", "Opportunities"]


def test_navigation_marks_the_current_page_and_only_that_one(client, db):
    home = client.get(reverse("web:home"))
    assert current_label(home) == "Home"
    assert home.content.decode().count('aria-current="page"') == 1
    assert current_label(client.get(reverse("web:sign-in"))) == "Sign in"
    assert 'aria-current="page"' not in client.get(reverse("web:cookies")).content.decode()


def test_account_bar_names_the_person_and_the_organisation_they_act_for(client, worker):
    client.force_login(worker)
    response = client.get(reverse("web:home"))
    assertContains(response, "Signed in as <strong>Wren Worker</strong>, acting for <strong>Aire Valley Resettlement Trust</strong>")


def test_account_bar_offers_change_only_to_people_in_several_organisations(client, worker, other_charity):
    client.force_login(worker)
    change = f'href="{reverse("web:acting-for")}"'
    assertNotContains(client.get(reverse("web:home")), change)
    MembershipFactory(user=worker, organisation=other_charity, role=role("volunteer"))
    assertContains(client.get(reverse("web:home")), change)


def test_sign_out_is_a_button_in_a_form_that_posts(client, worker):
    client.force_login(worker)
    html = client.get(reverse("web:home")).content.decode()
    assert re.search(rf'<form method="post" action="{reverse("web:sign-out")}"', html)


def test_commissioner_navigation_has_their_opportunities_and_the_provision_map(client, db):
    commissioner = member("commissioner", OrganisationFactory(type=org_type("probation-region")))
    client.force_login(commissioner)
    labels = nav_labels(client.get(reverse("web:home")))
    assert labels == [
        "Home", "Find services", "Opportunities", "Your organisation", "Your opportunities", "Provision map",
    ]
