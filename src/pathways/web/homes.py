"""Each role's home page: what the signed-in person needs first, for the organisation they act for."""

from pathways.organisations.selectors import memberships_for_user


def home_for(request) -> tuple[str, dict]:
    memberships = list(memberships_for_user(user=request.user))
    return "web/homes/member.html", {"memberships": memberships}
