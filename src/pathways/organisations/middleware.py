"""Which organisation the signed-in person is acting for, kept in their session.

People who belong to several organisations choose; everyone else acts for their one organisation.
"""

from .models import Organisation
from .permissions import member_organisation_ids

SESSION_KEY = "acting_for"


def acting_for(request):
    user = request.user
    ids = member_organisation_ids(user)
    if not ids:
        return None
    chosen = request.session.get(SESSION_KEY)
    pk = chosen if chosen in ids else min(ids)
    return Organisation.objects.select_related("type").get(pk=pk)


class ActingForMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_for = acting_for(request) if request.user.is_authenticated else None
        return self.get_response(request)
