"""Organisation pages: the list for curators, each organisation's page, its team and invitations.

Every view fetches through ``permissions`` so that someone outside the organisation gets a 404, and
changes state only through ``services``.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from pathways.core.errors import DomainError

from . import permissions, selectors, services
from .forms import EndMembershipForm, InvitationForm, JoinForm, OrganisationFilterForm, OrganisationForm
from .middleware import SESSION_KEY

PAGE_SIZE = 25


@login_required
def organisation_list(request):
    if not permissions.can_list_organisations(request.user):
        raise Http404("No such page")
    form = OrganisationFilterForm(request.GET)
    organisations = selectors.organisation_list_for_search(
        organisations=permissions.organisations_visible_to(request.user), **form.filters()
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/list.html", {
        "form": form,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "can_create": permissions.can_create_organisation(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if not permissions.can_create_organisation(request.user):
        raise Http404("No such page")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(
            by=request.user, acting_for=request.acting_for, areas=form.chosen_areas(), **form.organisation_fields()
        )
        messages.success(request, f"{organisation} has been added.")
        return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})


@login_required
def organisation_detail(request, slug):
    organisation = permissions.organisation_get_for_member(
        user=request.user, slug=slug, check=permissions.can_view_organisation
    )
    user = request.user
    return render(request, "organisations/detail.html", {
        "organisation": organisation,
        "areas": selectors.areas_by_kind(places=organisation.areas.all()),
        "can_edit": permissions.can_edit_organisation(user, organisation),
        "can_view_members": permissions.can_view_members(user, organisation),
        "can_view_audit_trail": permissions.can_view_audit_trail(user, organisation),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = permissions.organisation_get_for_member(
        user=request.user, slug=slug, check=permissions.can_view_organisation
    )
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    # The form works on a copy, so the page keeps showing the saved name while the form holds what was typed.
    form = OrganisationForm(request.POST or None, instance=copy(organisation))
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation, by=request.user, acting_for=request.acting_for,
            areas=form.chosen_areas(), **form.organisation_fields(),
        )
        messages.success(request, "The organisation's details have been saved.")
        return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})


# Team ----------------------------------------------------------------------------------------------

@login_required
def team(request, slug):
    organisation = permissions.organisation_get_for_member(
        user=request.user, slug=slug, check=permissions.can_view_members
    )
    return render(request, "organisations/team.html", {
        "organisation": organisation,
        "team": selectors.organisation_team(organisation=organisation),
        "can_manage": permissions.can_invite(request.user, organisation),
    })


@login_required
@require_http_methods(["GET", "POST"])
def invitation_send(request, slug):
    organisation = permissions.organisation_get_for_member(user=request.user, slug=slug)
    if not permissions.can_invite(request.user, organisation):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(organisation=organisation, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"We have sent an invitation to {invitation.email}.")
            return redirect("organisations:team", slug=organisation.slug)
    return render(request, "organisations/invite.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def invitation_withdraw(request, slug, invitation_id):
    organisation = permissions.organisation_get_for_member(user=request.user, slug=slug)
    invitation = permissions.invitation_get_for_user(
        user=request.user, organisation=organisation, invitation_id=invitation_id
    )
    if not permissions.can_invite(request.user, organisation):
        raise PermissionDenied
    services.invitation_withdraw(invitation=invitation, by=request.user)
    messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("organisations:team", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, slug, membership_id):
    organisation = permissions.organisation_get_for_member(user=request.user, slug=slug)
    membership = permissions.membership_get_for_user(
        user=request.user, organisation=organisation, membership_id=membership_id, current_only=True
    )
    if not permissions.can_end_membership(request.user, membership):
        raise PermissionDenied
    leaving = membership.user_id == request.user.pk
    form = EndMembershipForm(request.POST or None, leaving=leaving)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if leaving:
                messages.success(request, f"You have left {organisation}.")
                return redirect("web:home")
            messages.success(request, f"{membership.user}'s membership has ended.")
            return redirect("organisations:team", slug=organisation.slug)
    return render(request, "organisations/end_membership.html", {
        "form": form, "organisation": organisation, "membership": membership, "leaving": leaving,
    })


# Accepting an invitation ---------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = selectors.invitation_get_by_token(token=token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    context = {"invitation": invitation, "organisation": invitation.organisation}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "organisations/invitation_wrong_account.html", context)
        if request.method == "POST":
            try:
                membership = services.invitation_accept(token=token, user=user)
            except DomainError as error:
                context["error"] = error.message
            else:
                return _welcome(request, membership)
        return render(request, "organisations/invitation_confirm.html", context)
    if selectors.account_exists(email=invitation.email):
        sign_in_url = reverse("web:sign-in") + "?" + urlencode({"next": request.path})
        return render(request, "organisations/invitation_sign_in.html", {**context, "sign_in_url": sign_in_url})
    form = JoinForm(request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, membership)
    return render(request, "organisations/invitation_join.html", {**context, "form": form})


def _welcome(request, membership):
    """After joining, the person works for the organisation they joined and lands on their home."""
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(request, f"You have joined {membership.organisation} as {membership.role.name.lower()}.")
    return redirect("web:home")
