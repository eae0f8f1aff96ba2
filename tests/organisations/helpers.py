import re

LINK = re.compile(r"https?://\S+/organisations/invitations/(?P<token>[\w-]+)/")


def token_from(message) -> str:
    """The invitation token from an invitation email: the link is the only place it exists."""
    return LINK.search(message.body)["token"]
