"""Help with tendering: the guides and glossary (public), the full-cost-recovery calculator (public to use,
saved by an organisation's managers) and the bid-readiness checklist (per organisation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from pathways.core.errors import DomainError

from .. import permissions
from ..forms.help import FullCostForm, FullCostSaveForm, ReadinessForm
from ..guides import GLOSSARY, GUIDES, glossary_by_letter, guide_get
from ..models import Opportunity
from ..selectors import help as selectors
from ..services import full_cost, readiness

CALCULATOR_FIELDS = {
    "staff", "volunteers", "premises", "equipment", "travel", "other_direct", "overheads_total", "basis",
    "work_share", "organisation_total", "percentage", "development", "exit", "term_months", "yearly_increase_percent",
}


def _posted(request):
    return request.POST if request.method == "POST" else None


# Guides and glossary -----------------------------------------------------------------------------------

def help_index(request):
    organisation = getattr(request, "acting_for", None)
    return render(request, "commissioning/help/index.html", {
        "guides": GUIDES,
        "organisation": organisation if organisation and permissions.can_view_tendering_records(
            request.user, organisation) else None,
    })


def guide(request, slug):
    found = guide_get(slug)
    if found is None:
        raise Http404("No such guide")
    return render(request, "commissioning/help/guide.html", {
        "guide": found,
        "terms": [entry for entry in GLOSSARY if entry.guide == slug],
        "guides": GUIDES,
    })


def glossary(request):
    return render(request, "commissioning/help/glossary.html", {"letters": glossary_by_letter()})


# The bid-readiness checklist ---------------------------------------------------------------------------

@login_required
def readiness_mine(request):
    organisation = getattr(request, "acting_for", None)
    if organisation is None:
        raise PermissionDenied
    return redirect("commissioning:readiness", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def readiness_checklist(request, slug):
    organisation = permissions.organisation_get_for_tendering(
        user=request.user, slug=slug, change=request.method == "POST"
    )
    current = selectors.bid_readiness_for(organisation=organisation)
    form = ReadinessForm(_posted(request), ticked=set(current.saved.items) if current.saved else set())
    if request.method == "POST" and form.is_valid():
        try:
            readiness.bid_readiness_save(organisation=organisation, items=form.chosen_items(), by=request.user)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your checklist has been saved.")
            return redirect("commissioning:readiness", slug=organisation.slug)
    return render(request, "commissioning/help/readiness.html", {
        "form": form,
        "organisation": organisation,
        "readiness": current,
        "can_change": permissions.can_change_tendering_records(request.user, organisation),
    })


# The full-cost-recovery calculator ---------------------------------------------------------------------

def _opportunity_from(request) -> Opportunity | None:
    key = request.GET.get("opportunity") or request.POST.get("opportunity") or ""
    if not key:
        return None
    try:
        return Opportunity.objects.published().filter(uuid=key).first()
    except ValidationError:  # not a uuid: as if none was given
        return None


@require_http_methods(["GET", "POST"])
def calculator(request):
    """Anyone can calculate (GET). Managers save the result for their organisation (POST)."""
    organisation = getattr(request, "acting_for", None)
    can_save = organisation is not None and permissions.can_change_tendering_records(request.user, organisation)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_save:
            raise PermissionDenied
    opportunity = _opportunity_from(request)
    data = request.POST if request.method == "POST" else (request.GET if CALCULATOR_FIELDS & set(request.GET) else None)
    initial = {"basis": full_cost.OverheadBasis.STAFF_TIME.value, "term_months": 36}
    if opportunity is not None:
        initial["term_months"] = opportunity.duration_months
    form = FullCostForm(data, initial=initial)
    save_form = FullCostSaveForm(
        request.POST if request.method == "POST" else None,
        initial={"opportunity": str(opportunity.uuid) if opportunity else ""},
    )
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = full_cost.full_cost_calculate(form.inputs())
        except DomainError as error:
            form.add_domain_error(error)
    if request.method == "POST" and result is not None and save_form.is_valid():
        try:
            calculation = full_cost.full_cost_save(
                organisation=organisation, by=request.user, inputs=form.inputs(),
                title=save_form.cleaned_data["title"], opportunity=save_form.chosen_opportunity(),
            )
        except DomainError as error:
            save_form.add_domain_error(error)
        else:
            messages.success(request, f"“{calculation.title}” has been saved.")
            return redirect("commissioning:calculation", slug=organisation.slug, calculation_id=calculation.pk)
    return render(request, "commissioning/help/calculator.html", {
        "form": form,
        "save_form": save_form,
        "result": result,
        "opportunity": opportunity,
        "can_save": can_save,
        "organisation": organisation,
        "inputs": [(name, form.data.get(name, "")) for name in sorted(CALCULATOR_FIELDS)] if form.is_bound else [],
    })


@login_required
def calculations(request, slug):
    organisation = permissions.organisation_get_for_tendering(user=request.user, slug=slug)
    return render(request, "commissioning/help/calculations.html", {
        "organisation": organisation,
        "calculations": selectors.calculations_for(organisation=organisation),
        "can_change": permissions.can_change_tendering_records(request.user, organisation),
    })


@login_required
@require_http_methods(["GET", "POST"])
def calculation_detail(request, slug, calculation_id):
    organisation = permissions.organisation_get_for_tendering(user=request.user, slug=slug)
    calculation = permissions.calculation_get_for_user(
        user=request.user, organisation=organisation, calculation_id=calculation_id
    )
    if request.method == "POST":
        if not permissions.can_change_tendering_records(request.user, organisation):
            raise PermissionDenied
        full_cost.full_cost_remove(calculation=calculation, by=request.user)
        messages.success(request, f"“{calculation.title}” has been removed.")
        return redirect("commissioning:calculations", slug=organisation.slug)
    inputs = full_cost.FullCostInputs.from_record(calculation.inputs)
    return render(request, "commissioning/help/calculation.html", {
        "organisation": organisation,
        "calculation": calculation,
        "result": full_cost.full_cost_calculate(inputs),
        "inputs": inputs,
        "can_change": permissions.can_change_tendering_records(request.user, organisation),
        "recalculate": urlencode({k: v for k, v in calculation.inputs.items() if v not in (None, "")}),
    })
