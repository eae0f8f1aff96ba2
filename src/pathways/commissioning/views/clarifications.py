"""Clarification pages: asking a question (members of organisations other than the buyer and the agency),
and answering and publishing it (the agency, or the buyer's commissioner)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from pathways.core.errors import DomainError

from .. import permissions
from ..forms.bids import AnswerForm, QuestionForm
from ..permissions import bids as bid_permissions
from ..services import clarifications as services


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def clarification_ask(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    organisations = bid_permissions.organisations_that_may_ask(request.user, opportunity)
    if not organisations:
        if permissions.can_reach_opportunity(request.user, opportunity):
            raise PermissionDenied
        raise Http404("No such opportunity")
    form = QuestionForm(_posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data.get("organisation") or organisations[0].slug
        organisation = bid_permissions.organisation_for_asking(user=request.user, opportunity=opportunity, slug=slug)
        try:
            services.clarification_ask(opportunity=opportunity, organisation=organisation, by=request.user,
                                       question=form.cleaned_data["question"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your question has been sent. You will see the answer on this page when it is "
                                      "published, and we will email it to every organisation bidding.")
            return redirect(f"{opportunity_url(opportunity)}#clarifications")
    return render(request, "commissioning/clarifications/ask.html", {
        "opportunity": opportunity,
        "form": form,
        "open": services.can_still_ask(opportunity),
        "closes": services.cut_off(opportunity),
    })


def opportunity_url(opportunity) -> str:
    return reverse("commissioning:opportunity", args=[opportunity.uuid])


@login_required
@require_http_methods(["GET", "POST"])
def clarification_answer(request, opportunity_id, clarification_id):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    clarification = bid_permissions.clarification_get_for_answerer(
        user=request.user, opportunity=opportunity, clarification_id=clarification_id
    )
    if clarification.published_at is not None:
        messages.info(request, "That answer has already been published.")
        return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    form = AnswerForm(_posted(request), initial={"published_question": clarification.question})
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_publish(clarification=clarification, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The answer has been published on the opportunity's page and emailed to every "
                                      "organisation interested or bidding.")
            return redirect("commissioning:opportunity-manage", opportunity_id=opportunity.uuid)
    return render(request, "commissioning/clarifications/answer.html", {
        "opportunity": opportunity,
        "clarification": clarification,
        "form": form,
    })
