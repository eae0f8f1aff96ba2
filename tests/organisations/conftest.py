import pytest

from pathways.organisations.services import invitation_send
from tests.factories import role

from .helpers import token_from


@pytest.fixture
def invite(django_capture_on_commit_callbacks, mailoutbox):
    """Send an invitation as a service call would; returns (invitation, token) from the email sent."""

    def send(organisation, email, by, role_code="front-line-worker", full_name=""):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_send(
                organisation=organisation, email=email, role=role(role_code), by=by, full_name=full_name
            )
        return invitation, token_from(mailoutbox[-1])

    return send
