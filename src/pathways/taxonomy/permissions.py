"""Who may keep the shared lists: curators, working for an organisation that can curate.

Views, the API, commands and jobs ask these functions. Anyone else is shown a 404: the curators'
pages are not advertised. Reading the taxonomy is public (its API needs no sign-in).
"""

from django.http import Http404

from pathways.organisations import permissions as org_permissions

from .models import Term, Vocabulary


def can_manage_lists(user) -> bool:
    """The taxonomy and the organisations' managed lists are kept by the same people: curators."""
    return org_permissions.can_manage_lists(user)


def vocabulary_get_for_user(*, user, code: str) -> Vocabulary:
    vocabulary = Vocabulary.objects.filter(code=code).first()
    if vocabulary is None or not can_manage_lists(user):
        raise Http404("No such vocabulary")
    return vocabulary


def term_get_for_user(*, user, code: str) -> Term:
    term = Term.objects.select_related("vocabulary", "parent").filter(code=code).first()
    if term is None or not can_manage_lists(user):
        raise Http404("No such term")
    return term
