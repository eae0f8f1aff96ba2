"""An organisation's interests page, and registering interest on an opportunity: who may, and who may not."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from pathways.audit.models import AuditEntry
from pathways.commissioning.models import AlertFrequency, Interest, InterestProfile
from pathways.commissioning.services import market as services
from pathways.core.errors import DomainError

from .factories import make_opportunity, published
from .market_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def profile_url(slug):
    return reverse("commissioning:interest-profile", args=[slug])


def interest_url(opportunity):
    return reverse("commissioning:opportunity-interest", args=[opportunity.uuid])


def sign_in(client, user):
    client.force_login(user)
    return client


class TestTheInterestsPage:
    def test_a_manager_saves_the_profile_and_it_is_audited(self, client, charity, charity_manager, leeds):
        sign_in(client, charity_manager)
        response = client.post(profile_url(charity.slug), {
            "terms": ["pathway-accommodation"], "areas_local_authority": [leeds.pk], "value_minimum": "10000",
            "value_maximum": "", "frequency": "weekly", "open_to_partners": "on",
        })
        assert response.status_code == 302
        profile = InterestProfile.objects.get(organisation=charity)
        assert [t.code for t in profile.terms.all()] == ["pathway-accommodation"]
        assert list(profile.areas.all()) == [leeds]
        assert (profile.value_minimum, profile.frequency, profile.open_to_partners) == (10000, "weekly", True)
        assert AuditEntry.objects.filter(target_id=str(profile.pk), acting_for=charity).exists()

    def test_given_mistakes_then_the_error_summary_names_them_and_keeps_what_was_typed(self, client, charity, charity_manager):
        sign_in(client, charity_manager)
        response = client.post(profile_url(charity.slug), {
            "value_minimum": "500000", "value_maximum": "1000", "frequency": "at_once",
        })
        assert response.status_code == 200
        content = response.content.decode()
        assert "govuk-error-summary" in content
        assert "The largest value must be the same as or more than the smallest value" in content
        assert 'value="500000"' in content
        assert not InterestProfile.objects.exists()

    def test_a_member_who_is_not_a_manager_reads_it_but_may_not_change_it(self, client, charity, charity_worker):
        set_profile(charity, pathways=["pathway-health"])
        sign_in(client, charity_worker)
        response = client.get(profile_url(charity.slug))
        assert response.status_code == 200 and "Health" in response.content.decode()
        assert "Save your interests" not in response.content.decode()
        assert client.post(profile_url(charity.slug), {"frequency": "never"}).status_code == 403
        assert InterestProfile.objects.get().frequency == AlertFrequency.AT_ONCE

    def test_another_organisations_profile_is_not_found(self, client, charity, outsider):
        sign_in(client, outsider)
        assert client.get(profile_url(charity.slug)).status_code == 404
        assert client.post(profile_url(charity.slug), {"frequency": "never"}).status_code == 404
        assert client.get(profile_url("no-such-organisation")).status_code == 404

    def test_signed_out_people_are_asked_to_sign_in(self, client, charity):
        assert client.get(profile_url(charity.slug)).status_code == 302

    def test_the_service_refuses_another_organisations_manager(self, charity, outsider):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            services.interest_profile_save(organisation=charity, by=outsider, frequency="never")


class TestRegisteringInterest:
    def test_signed_out_people_see_the_invitation_to_sign_in(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds])
        content = client.get(reverse("commissioning:opportunity", args=[opportunity.uuid])).content.decode()
        assert "Sign in to register your organisation&#x27;s interest" in content or \
            "Sign in to register your organisation's interest" in content

    def test_a_member_registers_interest_visible_to_partners_and_then_withdraws_it(
        self, client, probation, leeds, charity, charity_worker
    ):
        opportunity = published(probation, areas=[leeds])
        sign_in(client, charity_worker)
        page = reverse("commissioning:opportunity", args=[opportunity.uuid])
        assert "Register interest" in client.get(page).content.decode()

        response = client.post(interest_url(opportunity), {"organisation": charity.slug, "visible_to_partners": "on"})
        assert response.status_code == 302 and response.url.endswith("#interest")
        interest = Interest.objects.get()
        assert (interest.organisation, interest.visible_to_partners, interest.registered_by) == (charity, True, charity_worker)
        content = client.get(page).content.decode()
        assert "Withdraw interest" in content and "Possible partners can see this" in content

        client.post(interest_url(opportunity), {"organisation": charity.slug, "action": "withdraw"})
        assert not Interest.objects.exists()
        actions = list(AuditEntry.objects.filter(acting_for=charity).values_list("action", flat=True))
        assert actions == ["created", "removed"] or sorted(actions) == ["created", "removed"]

    def test_the_buyer_cannot_register_interest_in_its_own_opportunity(self, client, probation, commissioner, leeds):
        opportunity = published(probation, areas=[leeds])
        sign_in(client, commissioner)
        assert client.post(interest_url(opportunity), {"organisation": probation.slug}).status_code == 404
        with pytest.raises(DomainError):
            services.interest_register(opportunity=opportunity, organisation=probation, by=None)
        assert not Interest.objects.exists()

    def test_nobody_registers_for_an_organisation_they_do_not_belong_to(self, client, probation, leeds, charity, outsider):
        opportunity = published(probation, areas=[leeds])
        sign_in(client, outsider)
        assert client.post(interest_url(opportunity), {"organisation": charity.slug}).status_code == 404
        assert not Interest.objects.exists()

    def test_interest_only_while_forthcoming_or_open(self, client, probation, leeds, charity, charity_worker):
        opportunity = published(probation, areas=[leeds])
        draft = make_opportunity(probation, areas=[leeds])
        sign_in(client, charity_worker)
        assert client.post(interest_url(draft), {"organisation": charity.slug}).status_code == 404
        with time_machine.travel(opportunity.deadline + timedelta(seconds=1)):
            with pytest.raises(DomainError):
                services.interest_register(opportunity=opportunity, organisation=charity, by=charity_worker)
        assert not Interest.objects.exists()

    def test_a_forthcoming_opportunity_takes_interest(self, probation, leeds, charity, charity_worker):
        opportunity = published(probation, areas=[leeds], open_for_bids=False)
        services.interest_register(opportunity=opportunity, organisation=charity, by=charity_worker)
        assert Interest.objects.filter(opportunity=opportunity).count() == 1

    def test_signed_out_post_is_sent_to_sign_in(self, client, probation, leeds):
        opportunity = published(probation, areas=[leeds])
        response = client.post(interest_url(opportunity), {})
        assert response.status_code == 302 and "sign-in" in response.url
