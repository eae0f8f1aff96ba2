"""Who may see and change a saved search: only the person who saved it. Anyone else gets a 404."""

from django.http import Http404

from ..models import SavedSearch


def can_manage_saved_search(user, saved_search: SavedSearch) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and saved_search.user_id == user.pk


def can_save_search(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def saved_search_get_for_user(*, user, saved_search_id) -> SavedSearch:
    saved_search = SavedSearch.objects.filter(pk=saved_search_id).first()
    if saved_search is None or not can_manage_saved_search(user, saved_search):
        raise Http404("No such saved search")
    return saved_search
