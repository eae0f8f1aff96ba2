"""What the API tests of the bidders portal share: signing a client in either way, and the criteria of an
opportunity made by ``factories.add_criteria`` (one scored on quality, one on price)."""

from rest_framework.test import APIClient

__all__ = ["APIClient", "as_user", "signed_in", "quality", "price"]


def as_user(api: APIClient, user) -> APIClient:
    """Authenticated as ``user`` without a session (as a token client would be)."""
    api.force_authenticate(user)
    return api


def signed_in(api: APIClient, user) -> APIClient:
    """Signed in through the session, so the organisation the person acts for is chosen as on the pages."""
    api.logout()
    api.force_login(user)
    return api


def quality(opportunity):
    return opportunity.criteria.get(is_price=False)


def price(opportunity):
    return opportunity.criteria.get(is_price=True)
