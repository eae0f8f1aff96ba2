"""The good-practice bank's pages: the public list and write-ups, writing and submitting one, and the
curators' review.

Every page fetches through ``permissions.good_practice``: an unpublished write-up is not found (404)
by anyone outside its organisation and the curators; someone who may read it but not do what they
asked (a worker editing, an author publishing) is refused (403). Changes go through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pathways.core.errors import DomainError
from pathways.organisations import permissions as org_permissions

from ..permissions import good_practice as permissions
from ..forms.good_practice import EVIDENCE_HINTS, GoodPracticeFilterForm, GoodPracticeForm, ReviewForm
from ..models import EvidenceStrength, GoodPracticeStatus
from ..selectors import good_practice as selectors
from ..services import good_practice as services

PAGE_SIZE = 20


def _page(request, items):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)}


def _can_write_somewhere(request) -> bool:
    return permissions.can_write_good_practice(request.user, getattr(request, "acting_for", None))


@require_GET
def good_practice_list(request):
    form = GoodPracticeFilterForm(request.GET)
    items = selectors.good_practice_list_published(**form.filters())
    return render(request, "directory/good_practice/list.html", {
        "form": form,
        **_page(request, items),
        "can_write": _can_write_somewhere(request),
        "is_member": bool(org_permissions.member_organisation_ids(request.user)),
        "can_review": permissions.can_see_review_queue(request.user),
    })


def _detail_context(request, good_practice) -> dict:
    user = request.user
    strength = EvidenceStrength(good_practice.evidence_strength)
    return {
        "good_practice": good_practice,
        "strength": strength,
        "strength_hint": EVIDENCE_HINTS[strength],
        "strength_rank": list(EvidenceStrength).index(strength) + 1,
        "strength_count": len(EvidenceStrength),
        "services": selectors.good_practice_services_for_user(good_practice=good_practice, user=user),
        "terms": list(good_practice.terms.all()),
        "areas": list(good_practice.areas.all()),
        "is_published": good_practice.status == GoodPracticeStatus.PUBLISHED,
        "sees_workflow": (
            org_permissions.is_member(user, good_practice.organisation) or org_permissions.can_curate(user)
        ),
        "can_edit": permissions.can_edit_good_practice(user, good_practice),
        "can_submit": permissions.can_submit_good_practice(user, good_practice),
        "can_review": permissions.can_review_good_practice(user, good_practice),
    }


@require_GET
def good_practice_detail(request, good_practice_id):
    good_practice = permissions.good_practice_get_for_user(user=request.user, good_practice_id=good_practice_id)
    return render(request, "directory/good_practice/detail.html", _detail_context(request, good_practice))


@login_required
@require_http_methods(["GET", "POST"])
def good_practice_create(request):
    organisation = request.acting_for
    if organisation is None:
        raise Http404("No such page")
    if not permissions.can_write_good_practice(request.user, organisation):
        raise PermissionDenied
    form = GoodPracticeForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            good_practice = services.good_practice_create(
                organisation=organisation, by=request.user, **form.good_practice_fields(), **form.links()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your write-up has been saved as a draft. Submit it when it is ready.")
            return redirect("directory:good-practice", good_practice_id=good_practice.pk)
    return render(request, "directory/good_practice/form.html", {
        "form": form, "organisation": organisation, "good_practice": None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def good_practice_edit(request, good_practice_id):
    good_practice = permissions.good_practice_get_for_user(
        user=request.user, good_practice_id=good_practice_id, check=permissions.can_edit_good_practice
    )
    organisation = good_practice.organisation
    form = GoodPracticeForm(request.POST or None, organisation=organisation, good_practice=good_practice)
    if request.method == "POST" and form.is_valid():
        try:
            services.good_practice_update(
                good_practice=good_practice, by=request.user, **form.good_practice_fields(), **form.links()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("directory:good-practice", good_practice_id=good_practice.pk)
    return render(request, "directory/good_practice/form.html", {
        "form": form, "organisation": organisation, "good_practice": good_practice,
    })


@login_required
@require_POST
def good_practice_submit(request, good_practice_id):
    good_practice = permissions.good_practice_get_for_user(
        user=request.user, good_practice_id=good_practice_id, check=permissions.can_submit_good_practice
    )
    try:
        services.good_practice_submit(good_practice=good_practice, by=request.user)
    except DomainError as error:
        context = _detail_context(request, good_practice)
        context["submit_error"] = error.message
        return render(request, "directory/good_practice/detail.html", context, status=400)
    messages.success(request, "Your write-up has been sent to the curators. We will tell you what they decide.")
    return redirect("directory:good-practice", good_practice_id=good_practice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def good_practice_review(request, good_practice_id):
    good_practice = permissions.good_practice_get_for_user(
        user=request.user, good_practice_id=good_practice_id, check=permissions.can_review_good_practice
    )
    can_publish = good_practice.status == GoodPracticeStatus.SUBMITTED
    form = ReviewForm(request.POST or None, can_publish=can_publish)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == ReviewForm.PUBLISH:
                services.good_practice_publish(good_practice=good_practice, by=request.user, note=note)
            else:
                services.good_practice_return(good_practice=good_practice, by=request.user, note=note)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            done = "published" if decision == ReviewForm.PUBLISH else "returned to its authors"
            messages.success(request, f"‘{good_practice.title}’ has been {done}.")
            return redirect("directory:good-practice-queue")
    return render(request, "directory/good_practice/review.html", {
        "form": form, **_detail_context(request, good_practice),
    })


@login_required
@require_GET
def good_practice_yours(request):
    """Your organisations' write-ups, in every state."""
    items = selectors.good_practice_for_member(user=request.user)
    return render(request, "directory/good_practice/yours.html", {
        **_page(request, items), "can_write": _can_write_somewhere(request),
    })


@login_required
@require_GET
def good_practice_queue(request):
    """What is waiting for a curator."""
    if not permissions.can_see_review_queue(request.user):
        raise Http404("No such page")
    return render(request, "directory/good_practice/queue.html", _page(request, selectors.good_practice_review_queue()))
