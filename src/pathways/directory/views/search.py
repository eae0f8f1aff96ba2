"""The public search of the knowledge base, its print-friendly list, and saved searches.

Search is one GET form, so it works without JavaScript and every search has an address that can be
shared, bookmarked, printed or saved. Saved searches belong to the person who saved them: anyone else
gets a 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pathways.core.errors import DomainError

from ..forms.search import (
    FACET_LEGENDS,
    ORDER_LABELS,
    RADIUS_CHOICES,
    SavedSearchForm,
    SearchForm,
    search_form_data,
    search_query,
)
from ..models import Attendance, Schedule, SavedSearch, ServiceAtLocation
from ..permissions.search import can_save_search, saved_search_get_for_user
from ..selectors.records import freshness_of
from ..selectors.search import FACETS, SearchHit, search_facet_values, service_search
from ..services import saved_searches

PER_PAGE = 20
PRINT_LIMIT = 50
OPEN_FACETS = {"pathway", "category", "group"}  # shown open; the longer lists are folded until used


@dataclass(frozen=True)
class Result:
    hit: SearchHit
    freshness: str

    @property
    def service(self):
        return self.hit.service


@dataclass(frozen=True)
class Facet:
    name: str
    legend: str
    values: list
    open: bool


def _search(request, *, per_page: int):
    """The form, the results and the page number for the address's parameters."""
    facet_values = search_facet_values()
    data = search_form_data(request.GET)
    form = SearchForm(data, facet_values=facet_values)
    conditions = form.search()
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    results = service_search(**conditions, page=page, per_page=per_page)
    return form, conditions, results


def _results(results) -> list[Result]:
    now = timezone.now()
    return [Result(hit, freshness_of(hit.service, show_names=False, now=now).sentence) for hit in results.hits]


def _facets(form, results) -> list[Facet]:
    facets = []
    for facet in FACETS:
        values = results.facet_counts[facet]
        if values:
            chosen = any(value.selected for value in values)
            facets.append(Facet(facet, FACET_LEGENDS[facet], values, facet in OPEN_FACETS or chosen))
    return facets


@require_GET
def service_search_page(request):
    form, conditions, results = _search(request, per_page=PER_PAGE)
    paginator = Paginator(range(results.total), results.per_page)
    page = paginator.get_page(results.page)
    query = search_query(request.GET)
    return render(request, "directory/search/search.html", {
        "form": form,
        "results": results,
        "result_list": _results(results),
        "facets": _facets(form, results),
        "page": page,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "radius_choices": RADIUS_CHOICES,
        # "Best match" is the default: nearest first for a postcode alone, most relevant for words.
        "order_choices": [("", ORDER_LABELS["relevance"])] + [
            (value, label) for value, label in ORDER_LABELS.items()
            if value != "relevance" and (value != "distance" or conditions["near"])
        ],
        "order": request.GET.get("order", ""),
        "near": conditions["near"],
        "radius": conditions["radius_miles"],
        "query": query,
        "is_search": form.is_search(),
        "can_save": can_save_search(request.user),
        "save_form": SavedSearchForm(initial={"frequency": "weekly"}),
    })


@require_GET
def service_search_print(request):
    """The same search as a list to print and hand to someone: contact details, addresses and times."""
    form, conditions, results = _search(request, per_page=PRINT_LIMIT)
    services = [hit.service for hit in results.hits]
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        services,
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        Prefetch("schedules", queryset=Schedule.objects.order_by("attendance", "weekday", "opens_at")),
        "contacts",
    )
    return render(request, "directory/search/print.html", {
        "form": form,
        "results": results,
        "result_list": _results(results),
        "conditions": conditions,
        "query": search_query(request.GET),
        "printed_on": timezone.localdate(),
        "drop_in": Attendance.DROP_IN,
    })


# Saved searches ---------------------------------------------------------------------------------------

@login_required
@require_GET
def saved_search_list(request):
    searches = SavedSearch.objects.filter(user=request.user).order_by("name", "pk")
    return render(request, "directory/search/saved_list.html", {"searches": searches})


@login_required
@require_POST
def saved_search_create(request):
    query = search_query(QueryDict(request.POST.get("query", "")))
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            saved = saved_searches.saved_search_create(
                user=request.user, name=form.cleaned_data["name"], query=query,
                frequency=form.cleaned_data["frequency"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Your search “{saved.name}” has been saved.")
            return redirect("directory:saved-searches")
    return render(request, "directory/search/saved_form.html", {"form": form, "query": query, "saved": None})


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_edit(request, saved_search_id):
    saved = saved_search_get_for_user(user=request.user, saved_search_id=saved_search_id)
    form = SavedSearchForm(request.POST if request.method == "POST" else None, instance=None,
                           initial={"name": saved.name, "frequency": saved.frequency})
    if request.method == "POST" and form.is_valid():
        try:
            saved_searches.saved_search_update(
                saved_search=saved, by=request.user, name=form.cleaned_data["name"],
                frequency=form.cleaned_data["frequency"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, f"Your search “{saved.name}” has been changed.")
            return redirect("directory:saved-searches")
    return render(request, "directory/search/saved_form.html", {"form": form, "query": saved.query, "saved": saved})


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_delete(request, saved_search_id):
    saved = saved_search_get_for_user(user=request.user, saved_search_id=saved_search_id)
    if request.method == "POST":
        name = saved.name
        saved_searches.saved_search_delete(saved_search=saved, by=request.user)
        messages.success(request, f"Your search “{name}” has been deleted.")
        return redirect("directory:saved-searches")
    return render(request, "directory/search/saved_delete.html", {"saved": saved,
                                                                  "search_url": reverse("directory:search")})
