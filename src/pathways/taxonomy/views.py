"""The curators' pages for the shared lists: taxonomy terms, places, organisation types and roles.

Each page asks the permissions modules and calls a service or a selector; anyone who is not a curator
gets a 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from pathways.core.errors import DomainError
from pathways.organisations import managed_lists
from pathways.organisations.models import PlaceKind

from . import permissions, selectors, services
from .forms import ConfirmForm, OrganisationTypeForm, PlaceForm, RetireForm, RoleForm, TermForm


PLACE_KIND_PLURALS = {
    PlaceKind.REGION: "Regions",
    PlaceKind.PROBATION_REGION: "Probation areas and regions",
    PlaceKind.DELIVERY_UNIT: "Probation delivery units",
    PlaceKind.LOCAL_AUTHORITY: "Local authorities",
    PlaceKind.PRISON: "Prisons",
}


def curators_only(view):
    """Sign-in first; then a 404 for anyone who does not keep the shared lists."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not permissions.can_manage_lists(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _actor(request) -> dict:
    """Who does it, and for which organisation, as every service's audit entry records."""
    return {"by": request.user, "acting_for": request.acting_for}


def _posted(request):
    """What was posted, or None so that a form shown by GET is unbound (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def _form_page(request, *, form, save, success, back_url: str, done_url=None, **context):
    """Show the form. On a valid POST, ``save`` it with a service, say ``success(saved)`` and go to
    ``done_url(saved)`` (``back_url`` by default); if the service refuses, show why on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, success(saved))
            return redirect(done_url(saved) if done_url else back_url)
    return render(request, "taxonomy/form.html", {"form": form, "back_url": back_url, **context})


def _retire_page(request, *, entry, retire, back_url: str, what: str):
    return _form_page(
        request,
        form=RetireForm(_posted(request)),
        save=lambda data: retire(reason=data["reason"], **_actor(request)),
        success=lambda saved: f"‘{saved.name}’ has been retired.",
        back_url=back_url,
        title=f"Retire ‘{entry.name}’",
        intro=f"This {what} will no longer be offered for anything new. Everything that already uses it "
        "keeps it and still shows it, and it keeps its code. You can reinstate it later.",
        button="Retire",
        button_class="govuk-button--warning",
    )


def _reinstate_page(request, *, entry, reinstate, back_url: str, what: str):
    return _form_page(
        request,
        form=ConfirmForm(_posted(request)),
        save=lambda data: reinstate(**_actor(request)),
        success=lambda saved: f"‘{saved.name}’ has been reinstated.",
        back_url=back_url,
        title=f"Reinstate ‘{entry.name}’",
        intro=f"This {what} will be offered again for new records.",
        button="Reinstate",
    )


@require_GET
@curators_only
def lists(request):
    return render(
        request,
        "taxonomy/lists.html",
        {
            "vocabularies": selectors.vocabulary_list_with_counts(),
            "place_kinds": [
                {**row, "plural": PLACE_KIND_PLURALS[row["kind"]]} for row in managed_lists.place_counts_by_kind()
            ],
            "organisation_types": managed_lists.organisation_type_counts(),
            "roles": managed_lists.role_counts(),
        },
    )


# Terms --------------------------------------------------------------------------------------------

@require_GET
@curators_only
def vocabulary_detail(request, code):
    vocabulary = permissions.vocabulary_get_for_user(user=request.user, code=code)
    terms = selectors.term_list(vocabulary_code=vocabulary.code, include_retired=True)
    return render(request, "taxonomy/terms.html", {"vocabulary": vocabulary, "terms": terms})


@require_http_methods(["GET", "POST"])
@curators_only
def term_add(request, code):
    vocabulary = permissions.vocabulary_get_for_user(user=request.user, code=code)
    form = TermForm(_posted(request), parents=selectors.term_parent_choices(vocabulary=vocabulary))
    return _form_page(
        request,
        form=form,
        save=lambda data: services.term_create(vocabulary=vocabulary, **_actor(request), **data),
        success=lambda saved: f"‘{saved.name}’ has been added to {vocabulary.name.lower()}.",
        back_url=reverse("taxonomy:vocabulary", args=[vocabulary.code]),
        title="Add a term",
        caption=vocabulary.name,
        intro="Its code is made from the name when you add it and never changes, because exports carry it.",
        button="Add term",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def term_edit(request, code):
    term = permissions.term_get_for_user(user=request.user, code=code)
    form = TermForm(_posted(request), initial={"name": term.name, "description": term.description})
    return _form_page(
        request,
        form=form,
        save=lambda data: services.term_update(term=term, **_actor(request), **data),
        success=lambda saved: f"‘{saved.name}’ has been changed. Its code is still {saved.code}.",
        back_url=reverse("taxonomy:vocabulary", args=[term.vocabulary.code]),
        title=f"Change ‘{term.name}’",
        caption=term.vocabulary.name,
        intro=f"Its code, {term.code}, stays the same.",
        button="Save changes",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def term_retire(request, code):
    term = permissions.term_get_for_user(user=request.user, code=code)
    return _retire_page(
        request, entry=term, what="term", back_url=reverse("taxonomy:vocabulary", args=[term.vocabulary.code]),
        retire=lambda **kwargs: services.term_retire(term=term, **kwargs),
    )


@require_http_methods(["GET", "POST"])
@curators_only
def term_reinstate(request, code):
    term = permissions.term_get_for_user(user=request.user, code=code)
    return _reinstate_page(
        request, entry=term, what="term", back_url=reverse("taxonomy:vocabulary", args=[term.vocabulary.code]),
        reinstate=lambda **kwargs: services.term_reinstate(term=term, **kwargs),
    )


# Places -------------------------------------------------------------------------------------------

def _places_url(kind: str) -> str:
    return f"{reverse('taxonomy:places')}?kind={kind}"


@require_GET
@curators_only
def place_list(request):
    kind = request.GET.get("kind")
    if kind is not None and kind not in PlaceKind.values:
        raise Http404("No such kind of place")
    groups = [(PLACE_KIND_PLURALS[k], places) for k, places in managed_lists.places_by_kind(kind=kind)]
    context = {"groups": groups, "kind": kind and PlaceKind(kind), "kinds": PLACE_KIND_PLURALS.items()}
    return render(request, "taxonomy/places.html", context)


@require_http_methods(["GET", "POST"])
@curators_only
def place_add(request):
    form = PlaceForm(
        _posted(request), initial={"kind": request.GET.get("kind")}, parents=managed_lists.place_parent_choices()
    )
    return _form_page(
        request,
        form=form,
        save=lambda data: managed_lists.place_create(**_actor(request), **data),
        success=lambda saved: f"‘{saved.name}’ has been added.",
        back_url=reverse("taxonomy:places"),
        done_url=lambda place: _places_url(place.kind),
        title="Add a place",
        button="Add place",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def place_edit(request, place_id):
    place = managed_lists.place_get_for_user(user=request.user, place_id=place_id)
    form = PlaceForm(
        _posted(request), fixed_kind=True, parents=managed_lists.place_parent_choices(place=place),
        initial={"name": place.name, "code": place.code, "parent": place.parent_id},
    )
    return _form_page(
        request,
        form=form,
        save=lambda data: managed_lists.place_update(place=place, **_actor(request), **data),
        success=lambda saved: f"‘{saved.name}’ has been changed.",
        back_url=_places_url(place.kind),
        title=f"Change ‘{place.name}’",
        caption=place.get_kind_display(),
        button="Save changes",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def place_retire(request, place_id):
    place = managed_lists.place_get_for_user(user=request.user, place_id=place_id)
    return _retire_page(
        request, entry=place, what="place", back_url=_places_url(place.kind),
        retire=lambda **kwargs: managed_lists.place_retire(place=place, **kwargs),
    )


@require_http_methods(["GET", "POST"])
@curators_only
def place_reinstate(request, place_id):
    place = managed_lists.place_get_for_user(user=request.user, place_id=place_id)
    return _reinstate_page(
        request, entry=place, what="place", back_url=_places_url(place.kind),
        reinstate=lambda **kwargs: managed_lists.place_reinstate(place=place, **kwargs),
    )


# Organisation types -------------------------------------------------------------------------------

@require_GET
@curators_only
def organisation_type_list(request):
    types = managed_lists.organisation_type_list(include_retired=True)
    return render(request, "taxonomy/organisation_types.html", {"organisation_types": types})


@require_http_methods(["GET", "POST"])
@curators_only
def organisation_type_add(request):
    form = OrganisationTypeForm(_posted(request))
    return _form_page(
        request,
        form=form,
        save=lambda data: managed_lists.organisation_type_create(**_actor(request), **data),
        success=lambda saved: f"‘{saved.name}’ has been added.",
        back_url=reverse("taxonomy:organisation-types"),
        title="Add a type of organisation",
        intro="Its code is made from the name when you add it and never changes.",
        button="Add type",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def organisation_type_edit(request, code):
    organisation_type = managed_lists.organisation_type_get_for_user(user=request.user, code=code)
    fields = ("name", "description", *managed_lists.ORGANISATION_TYPE_FLAGS)
    form = OrganisationTypeForm(_posted(request), initial={f: getattr(organisation_type, f) for f in fields})
    return _form_page(
        request,
        form=form,
        save=lambda data: managed_lists.organisation_type_update(
            organisation_type=organisation_type, **_actor(request), **data
        ),
        success=lambda saved: f"‘{saved.name}’ has been changed.",
        back_url=reverse("taxonomy:organisation-types"),
        title=f"Change ‘{organisation_type.name}’",
        caption="Types of organisation",
        intro=f"Its code, {organisation_type.code}, stays the same.",
        button="Save changes",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def organisation_type_retire(request, code):
    organisation_type = managed_lists.organisation_type_get_for_user(user=request.user, code=code)
    return _retire_page(
        request, entry=organisation_type, what="type of organisation",
        back_url=reverse("taxonomy:organisation-types"),
        retire=lambda **kwargs: managed_lists.organisation_type_retire(organisation_type=organisation_type, **kwargs),
    )


@require_http_methods(["GET", "POST"])
@curators_only
def organisation_type_reinstate(request, code):
    organisation_type = managed_lists.organisation_type_get_for_user(user=request.user, code=code)
    return _reinstate_page(
        request, entry=organisation_type, what="type of organisation",
        back_url=reverse("taxonomy:organisation-types"),
        reinstate=lambda **kwargs: managed_lists.organisation_type_reinstate(
            organisation_type=organisation_type, **kwargs
        ),
    )


# Roles --------------------------------------------------------------------------------------------

@require_GET
@curators_only
def role_list(request):
    return render(request, "taxonomy/roles.html", {"roles": managed_lists.role_list(include_retired=True)})


@require_http_methods(["GET", "POST"])
@curators_only
def role_add(request):
    form = RoleForm(_posted(request))
    return _form_page(
        request,
        form=form,
        save=lambda data: managed_lists.role_create(**_actor(request), **data),
        success=lambda saved: f"‘{saved.name}’ has been added.",
        back_url=reverse("taxonomy:roles"),
        title="Add a role",
        intro="Its code is made from the name when you add it and never changes.",
        button="Add role",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def role_edit(request, code):
    role = managed_lists.role_get_for_user(user=request.user, code=code)
    initial = {
        "name": role.name,
        "description": role.description,
        "capabilities": [capability.code for capability in role.capabilities.all()],
    }
    form = RoleForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form=form,
        save=lambda data: managed_lists.role_update(role=role, **_actor(request), **data),
        success=lambda saved: f"‘{saved.name}’ has been changed.",
        back_url=reverse("taxonomy:roles"),
        title=f"Change ‘{role.name}’",
        caption="Roles",
        intro=f"Changes apply to everyone who has this role. Its code, {role.code}, stays the same.",
        button="Save changes",
    )


@require_http_methods(["GET", "POST"])
@curators_only
def role_retire(request, code):
    role = managed_lists.role_get_for_user(user=request.user, code=code)
    return _retire_page(
        request, entry=role, what="role", back_url=reverse("taxonomy:roles"),
        retire=lambda **kwargs: managed_lists.role_retire(role=role, **kwargs),
    )


@require_http_methods(["GET", "POST"])
@curators_only
def role_reinstate(request, code):
    role = managed_lists.role_get_for_user(user=request.user, code=code)
    return _reinstate_page(
        request, entry=role, what="role", back_url=reverse("taxonomy:roles"),
        reinstate=lambda **kwargs: managed_lists.role_reinstate(role=role, **kwargs),
    )
