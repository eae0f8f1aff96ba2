"""The market's pages: an organisation's interests, registering interest in an opportunity, the partner
finder, the approved list (applying, and the agency's review), invitations from it, and consortia.

Every view fetches through ``permissions.market`` (outsiders get a 404, members who may not act a 403) and
changes state only through ``services.market``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pathways.core.errors import DomainError
from pathways.organisations.models import Organisation

from .. import permissions
from ..forms.market import (
    AgreementForm,
    ApplicationStartForm,
    ConsortiumForm,
    EvidenceForm,
    InterestForm,
    InterestProfileForm,
    MemberForm,
    ReviewForm,
)
from ..models import ApprovalStatus, MemberRole
from ..permissions import market as perms
from ..selectors import market as selectors
from ..services import market as services


def _posted(request):
    return request.POST if request.method == "POST" else None


def _acting_for(request):
    return getattr(request, "acting_for", None)


# Interest profiles --------------------------------------------------------------------------------------

@login_required
def interests_mine(request):
    organisation = _acting_for(request)
    if organisation is None:
        raise Http404("You do not belong to an organisation")
    return redirect("commissioning:interest-profile", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def interest_profile(request, slug):
    organisation = perms.organisation_get_for_interests(user=request.user, slug=slug, change=request.method == "POST")
    profile = selectors.interest_profile_for(organisation=organisation)
    form = InterestProfileForm(_posted(request), profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_profile_save(
                organisation=organisation, by=request.user, terms=form.chosen_terms(), areas=form.chosen_areas(),
                value_minimum=form.cleaned_data["value_minimum"], value_maximum=form.cleaned_data["value_maximum"],
                frequency=form.cleaned_data["frequency"], open_to_partners=form.cleaned_data["open_to_partners"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your organisation's interests have been saved.")
            return redirect("commissioning:interest-profile", slug=organisation.slug)
    return render(request, "commissioning/market/interest_profile.html", {
        "organisation": organisation,
        "profile": profile,
        "form": form,
        "can_change": perms.can_change_interest_profile(request.user, organisation),
        "interests": selectors.interests_for_organisation(organisation=organisation),
    })


# Interest in an opportunity -----------------------------------------------------------------------------

@require_POST
def opportunity_interest(request, opportunity_id):
    """Register, change or withdraw interest: a plain form on the opportunity page, no JavaScript needed."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("commissioning:opportunity", args=[opportunity_id]))
    opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    organisation = perms.organisation_for_opportunity(
        user=request.user, opportunity=opportunity, slug=request.POST.get("organisation"), preferred=_acting_for(request)
    )
    form = InterestForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "withdraw":
            services.interest_withdraw(opportunity=opportunity, organisation=organisation, by=request.user)
            messages.success(request, f"{organisation.name} is no longer registered as interested.")
        else:
            services.interest_register(
                opportunity=opportunity, organisation=organisation, by=request.user,
                visible_to_partners=form.cleaned_data.get("visible_to_partners", False),
            )
            messages.success(request, f"{organisation.name} is registered as interested.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("commissioning:opportunity", args=[opportunity.uuid]) + "#interest")


# The partner finder ---------------------------------------------------------------------------------------

@login_required
def partner_finder(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    if not opportunity.is_public:
        raise Http404("No such opportunity")
    organisation = perms.organisation_for_opportunity(
        user=request.user, opportunity=opportunity, slug=request.GET.get("organisation"), preferred=_acting_for(request)
    )
    return render(request, "commissioning/market/partners.html", {
        "opportunity": opportunity,
        "organisation": organisation,
        "organisations": perms.organisations_that_may_register(request.user, opportunity),
        "partners": selectors.partners_for(opportunity=opportunity, organisation=organisation),
        "consortia": selectors.consortia_for_user(user=request.user, opportunity=opportunity),
        "can_start_consortium": perms.org_permissions.can_manage_organisation(request.user, organisation),
    })


# The approved list: applying ----------------------------------------------------------------------------

@login_required
def applications_mine(request):
    organisation = _acting_for(request)
    if organisation is None:
        raise Http404("You do not belong to an organisation")
    if perms.can_review_for(request.user, organisation):
        return redirect("commissioning:approved-list", slug=organisation.slug)
    return redirect("commissioning:approval-applications", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def approval_applications(request, slug):
    organisation = perms.organisation_get_for_applications(user=request.user, slug=slug, change=request.method == "POST")
    form = ApplicationStartForm(_posted(request), agencies=selectors.agencies_for_choice().exclude(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.approval_application_start(
                organisation=organisation, agency=form.cleaned_data["agency"], by=request.user,
                terms=form.chosen_terms(), areas=form.chosen_areas(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your application has been started. Add your evidence, then send it.")
            return redirect("commissioning:approval-application", slug=organisation.slug, entry_id=entry.pk)
    return render(request, "commissioning/market/applications.html", {
        "organisation": organisation,
        "entries": selectors.applications_for(organisation=organisation),
        "form": form,
        "can_apply": perms.can_apply(request.user, organisation),
        "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def approval_application(request, slug, entry_id):
    organisation = perms.organisation_get_for_applications(user=request.user, slug=slug, change=request.method == "POST")
    entry = perms.entry_get_for_applicant(user=request.user, organisation=organisation, entry_id=entry_id)
    action = request.POST.get("action") if request.method == "POST" else None
    form = EvidenceForm(request.POST if action == "evidence" else None, request.FILES if action == "evidence" else None)
    submit_error = None
    if action == "evidence" and form.is_valid():
        data = form.cleaned_data
        try:
            services.approval_evidence_add(entry=entry, by=request.user, kind=data["kind"], title=data["title"],
                                           upload=data.get("file"), note=data.get("note") or "",
                                           expires_on=data.get("expires_on"))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The evidence has been added.")
            return redirect("commissioning:approval-application", slug=organisation.slug, entry_id=entry.pk)
    elif action in ("remove", "submit"):
        try:
            if action == "remove":
                services.approval_evidence_remove(entry=entry, by=request.user, evidence_id=request.POST.get("evidence"))
                messages.success(request, "The evidence has been removed.")
            else:
                services.approval_application_submit(entry=entry, by=request.user)
                messages.success(request, f"Your application has been sent to {entry.agency.name}.")
        except DomainError as error:
            submit_error = error.message
        else:
            return redirect("commissioning:approval-application", slug=organisation.slug, entry_id=entry.pk)
    elif action is not None and action != "evidence":
        raise Http404("No such action")
    return render(request, "commissioning/market/application.html", {
        "organisation": organisation,
        "entry": entry,
        "evidence": entry.evidence.order_by("kind", "pk"),
        "form": form,
        "submit_error": submit_error,
        "problems": services.application_problems(entry),
        "can_change": perms.can_apply(request.user, organisation) and entry.status in (
            ApprovalStatus.DRAFT, ApprovalStatus.RETURNED),
    })


# The approved list: the agency's review -----------------------------------------------------------------

@login_required
def approved_list(request, slug):
    agency = perms.agency_get_for_reviewer(user=request.user, slug=slug)
    today = timezone.localdate()
    entries = list(selectors.approved_list_for_agency(agency=agency))
    return render(request, "commissioning/market/approved_list.html", {
        "agency": agency,
        "waiting": [e for e in entries if e.status == ApprovalStatus.SUBMITTED],
        "approved": [e for e in entries if selectors.entry_is_current(e, today)],
        "others": [e for e in entries if e.status != ApprovalStatus.SUBMITTED and not selectors.entry_is_current(e, today)],
    })


@login_required
@require_http_methods(["GET", "POST"])
def approval_review(request, slug, entry_id):
    agency = perms.agency_get_for_reviewer(user=request.user, slug=slug)
    entry = perms.entry_get_for_reviewer(user=request.user, agency=agency, entry_id=entry_id)
    form = ReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.approval_approve(entry=entry, by=request.user, expires_on=data["expires_on"], note=data["note"])
                messages.success(request, f"{entry.organisation.name} is on the approved list.")
            else:
                services.approval_return(entry=entry, by=request.user, note=data["note"])
                messages.success(request, f"The application has been returned to {entry.organisation.name}.")
        except DomainError as error:
            entry.refresh_from_db()
            form.add_domain_error(error)
        else:
            return redirect("commissioning:approved-list", slug=agency.slug)
    return render(request, "commissioning/market/review.html", {
        "agency": agency,
        "entry": entry,
        "evidence": entry.evidence.order_by("kind", "pk"),
        "form": form,
        "can_decide": entry.status == ApprovalStatus.SUBMITTED,
    })


@login_required
def evidence_file(request, entry_id, evidence_id):
    """An evidence file, under the name it was uploaded with, for those who may read the application."""
    evidence = perms.evidence_get_for_reader(user=request.user, entry_id=entry_id, evidence_id=evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    name = evidence.original_name or evidence.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name,
                        content_type=evidence.content_type or "application/octet-stream")


# Invitations --------------------------------------------------------------------------------------------

@login_required
@require_POST
def opportunity_invite(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
    try:
        invited = services.invitations_send(opportunity=opportunity, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if invited:
            messages.success(request, f"{len(invited)} organisations on the approved list have been invited.")
        else:
            messages.success(request, "Every organisation on the approved list in scope had been invited already.")
    return redirect(reverse("commissioning:opportunity-manage", args=[opportunity.uuid]) + "#market")


# Consortia ----------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def consortium_create(request, opportunity_id):
    opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    organisation = perms.organisation_for_opportunity(
        user=request.user, opportunity=opportunity, slug=request.POST.get("organisation") or request.GET.get("organisation"),
        preferred=_acting_for(request),
    )
    if not perms.org_permissions.can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    form = ConsortiumForm(_posted(request), initial={"share_of_work": 100, "share_of_value": 100})
    if request.method == "POST" and form.is_valid():
        try:
            consortium = services.consortium_create(opportunity=opportunity, lead=organisation, by=request.user,
                                                    **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{consortium.name} has been started. Add its members.")
            return redirect("commissioning:consortium", consortium_id=consortium.pk)
    return render(request, "commissioning/market/consortium_form.html", {
        "opportunity": opportunity, "organisation": organisation, "form": form,
    })


def _addable(consortium):
    opportunity = consortium.opportunity
    taken = set(consortium.members.values_list("organisation_id", flat=True))
    excluded = taken | {pk for pk in (opportunity.buyer_id, opportunity.agency_id) if pk}
    return Organisation.objects.exclude(pk__in=excluded).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def consortium_detail(request, consortium_id):
    consortium = perms.consortium_get_for_user(user=request.user, consortium_id=consortium_id)
    action = request.POST.get("action") if request.method == "POST" else None
    can_change = perms.can_change_consortium(request.user, consortium)
    if action in ("add", "shares", "remove", "agreement") and not can_change:
        raise PermissionDenied
    member_form = MemberForm(request.POST if action == "add" else None, organisations=_addable(consortium))
    agreement_form = AgreementForm(request.POST if action == "agreement" else None,
                                   request.FILES if action == "agreement" else None)
    error = None
    try:
        if action == "add" and member_form.is_valid():
            data = member_form.cleaned_data
            try:
                services.consortium_member_add(consortium=consortium, by=request.user, **data)
            except DomainError as problem:
                member_form.add_domain_error(problem)
            else:
                messages.success(request, f"{data['organisation'].name} has been added. Each member now confirms.")
                return redirect("commissioning:consortium", consortium_id=consortium.pk)
        elif action == "shares":
            services.consortium_member_update(
                consortium=consortium, by=request.user, member_id=request.POST.get("member"),
                share_of_work=request.POST.get("share_of_work"), share_of_value=request.POST.get("share_of_value"),
            )
            messages.success(request, "The shares have been saved. Each member now confirms again.")
            return redirect("commissioning:consortium", consortium_id=consortium.pk)
        elif action == "remove":
            services.consortium_member_remove(consortium=consortium, by=request.user, member_id=request.POST.get("member"))
            messages.success(request, "The organisation has been taken out of the consortium.")
            return redirect("commissioning:consortium", consortium_id=consortium.pk)
        elif action == "agree":
            member = consortium.members.select_related("organisation").filter(pk=request.POST.get("member")).first()
            if member is None:
                raise Http404("No such member")
            if not perms.can_agree_for(request.user, member):
                raise PermissionDenied
            services.consortium_member_agree(consortium=consortium, organisation=member.organisation, by=request.user)
            messages.success(request, f"{member.organisation.name} has agreed.")
            return redirect("commissioning:consortium", consortium_id=consortium.pk)
        elif action == "agreement" and agreement_form.is_valid():
            try:
                services.consortium_agreement_record(
                    consortium=consortium, by=request.user, summary=agreement_form.cleaned_data["summary"],
                    document=agreement_form.cleaned_data.get("document"),
                )
            except DomainError as problem:
                agreement_form.add_domain_error(problem)
            else:
                messages.success(request, "The agreement has been recorded. The consortium can bid.")
                return redirect("commissioning:consortium", consortium_id=consortium.pk)
    except DomainError as problem:
        error = problem.message
    members = list(selectors.consortium_members(consortium))
    return render(request, "commissioning/market/consortium.html", {
        "consortium": consortium,
        "opportunity": consortium.opportunity,
        "members": [
            {"member": m, "can_agree": m.agreed_at is None and perms.can_agree_for(request.user, m)} for m in members
        ],
        "value_total": sum(m.share_of_value_percent for m in members),
        "work_total": sum(m.share_of_work_percent for m in members),
        "ready": selectors.consortium_ready(consortium),
        "can_change": can_change,
        "member_form": member_form,
        "agreement_form": agreement_form,
        "all_agreed": len(members) >= 2 and all(m.agreed_at for m in members),
        "error": error,
        "lead_role": MemberRole.LEAD,
    })


@login_required
def consortium_document(request, consortium_id):
    """The signed agreement, for the members of the consortium's organisations only."""
    from django.http import FileResponse

    consortium = perms.consortium_get_for_user(user=request.user, consortium_id=consortium_id)
    if not consortium.agreement_document:
        raise Http404("No agreement document")
    try:
        handle = consortium.agreement_document.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=consortium.agreement_document.name.rsplit("/", 1)[-1])
