"""Each demo sign-in, typed into the sign-in page, lands on a home made for that role."""

import pytest
from playwright.sync_api import expect

from pathways.demo.region import DEMO_PASSWORD, SIGN_INS, demo_load, demo_sign_ins
from pathways.organisations.models import User


@pytest.mark.parametrize("email", [person.email for person in SIGN_INS])
def test_a_demo_sign_in_lands_on_the_home_for_its_role_and_organisation(web, email):
    demo_load()
    sign_in = next(s for s in demo_sign_ins() if s.email == email)
    web.sign_in(User.objects.get(email=email), password=DEMO_PASSWORD)
    expect(web.page).to_have_url(web.url("/"))
    assert web.page.locator(".govuk-caption-l").inner_text() == sign_in.home
    web.assert_accessible()
