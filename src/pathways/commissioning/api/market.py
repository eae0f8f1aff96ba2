"""REST endpoints of the bidders portal: market.

- ``market/interest-profile/``: the interest profile of the organisation the signed-in person acts for;
  its members read it, its managers change it (PUT or PATCH).
- ``market/interests/``: the opportunities that organisation registered interest in.
- ``opportunities/<uuid>/interest/``: how many organisations registered interest in a published
  opportunity, for anyone (never which ones).
- ``market/approved-list/``: the entries on the approved list of the agency the person acts for, for its
  partnership development workers.
- ``opportunities/<uuid>/interest/mine/``: registering (POST) or withdrawing (DELETE) your organisation's
  interest in an opportunity, for any member of an organisation other than its buyer and agency.
- ``market/approved-list/applications/``: your organisation's applications to an agency's approved list. Its
  members read them; its managers start one, add and remove evidence, and send it.
- ``market/approved-list/<id>/approve/`` and ``.../return/``: the agency's partnership development workers
  decide on an application sent to it.
- ``opportunities/<uuid>/invitations/``: those who manage a published mini-competition (its commissioners or
  the agency running it) invite every organisation on the approved list in scope that was not invited yet, as
  the opportunity's page does; the answer names who was invited now.
- ``opportunities/<uuid>/consortia/`` and ``consortia/<id>/``: consortia. Members of its organisations see one;
  the lead's managers change it and record the agreement; each member's managers agree for that member.

An organisation is chosen with ``?organisation=<slug>`` (one the person belongs to), else the one they act for:
the one that applies, or the agency that reviews, or the one taking part in an opportunity, as on the pages.
Writes go through ``services.market``; a refusal of a rule is a 400 naming the field (``detail`` if none).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pathways.core.api import refusal
from pathways.core.errors import DomainError
from pathways.organisations import permissions as org_permissions
from pathways.organisations.models import Organisation, Place
from pathways.taxonomy.models import Term

from .. import permissions
from ..models import (
    AlertFrequency,
    ApprovalEvidence,
    ApprovalStatus,
    ApprovedListEntry,
    Consortium,
    ConsortiumMember,
    EvidenceKind,
    Interest,
    InterestProfile,
    MemberRole,
)
from ..permissions import market as perms
from ..selectors import market as selectors
from ..selectors.opportunities import PATHWAYS_VOCABULARY, pathway_choices
from ..services import market as services

ORGANISATION = OpenApiParameter(
    "organisation", OpenApiTypes.STR, description="Slug of an organisation you belong to (default: the one you act for)"
)


def _organisation(request):
    slug = request.query_params.get("organisation")
    if slug:
        return org_permissions.organisation_get_for_member(user=request.user, slug=slug)
    organisation = getattr(request, "acting_for", None)
    if organisation is None:
        raise Http404("You do not belong to an organisation")
    return organisation


class InterestProfileSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    pathways = serializers.SlugRelatedField(
        source="terms", many=True, slug_field="code", required=False,
        queryset=Term.objects.filter(vocabulary__code=PATHWAYS_VOCABULARY),
    )
    areas = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Place.objects.all())
    frequency = serializers.ChoiceField(choices=AlertFrequency.choices, required=False)

    class Meta:
        model = InterestProfile
        fields = ["organisation", "pathways", "areas", "value_minimum", "value_maximum", "frequency",
                  "open_to_partners", "last_digest_at", "updated_at"]
        read_only_fields = ["last_digest_at", "updated_at"]


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class InterestProfileDetail(generics.RetrieveUpdateAPIView):
    """Your organisation's interest profile: what it wants to hear about, how often, and whether partners may find it."""

    serializer_class = InterestProfileSerializer
    queryset = InterestProfile.objects.none()

    def get_object(self):
        organisation = _organisation(self.request)
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not perms.can_change_interest_profile(
            self.request.user, organisation
        ):
            raise PermissionDenied
        profile = selectors.interest_profile_for(organisation=organisation)
        return profile or InterestProfile(organisation=organisation)

    def retrieve(self, request, *args, **kwargs):
        profile = self.get_object()
        if profile.pk is None:  # nothing saved yet: the defaults
            return Response({
                "organisation": profile.organisation.slug, "pathways": [], "areas": [], "value_minimum": None,
                "value_maximum": None, "frequency": profile.frequency, "open_to_partners": profile.open_to_partners,
                "last_digest_at": None, "updated_at": None,
            })
        return Response(self.get_serializer(profile).data)

    def perform_update(self, serializer):
        profile = serializer.instance
        data = serializer.validated_data
        current = {
            "terms": list(profile.terms.all()) if profile.pk else [],
            "areas": list(profile.areas.all()) if profile.pk else [],
            "value_minimum": profile.value_minimum, "value_maximum": profile.value_maximum,
            "frequency": profile.frequency, "open_to_partners": profile.open_to_partners,
        }
        current.update(data)
        serializer.instance = services.interest_profile_save(organisation=profile.organisation, by=self.request.user, **current)


class InterestOpportunitySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()


class InterestSerializer(serializers.ModelSerializer):
    opportunity = InterestOpportunitySerializer()

    class Meta:
        model = Interest
        fields = ["opportunity", "visible_to_partners", "registered_at"]


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class InterestList(generics.ListAPIView):
    """The opportunities your organisation registered interest in, newest first."""

    serializer_class = InterestSerializer
    queryset = Interest.objects.none()

    def get_queryset(self):
        return selectors.interests_for_organisation(organisation=_organisation(self.request))


class InterestCountSerializer(serializers.Serializer):
    opportunity = serializers.UUIDField()
    organisations_interested = serializers.IntegerField()


@extend_schema(tags=["market"], responses={200: InterestCountSerializer, 404: OpenApiResponse(description="No such published opportunity")})
class InterestCount(generics.GenericAPIView):
    """How many organisations registered interest in a published opportunity. Which ones is not public."""

    permission_classes = [AllowAny]
    serializer_class = InterestCountSerializer

    def get(self, request, opportunity_id):
        opportunity = permissions.opportunity_get_for_user(
            user=request.user, opportunity_id=opportunity_id, check=lambda user, opportunity: opportunity.is_public,
        )
        return Response({"opportunity": opportunity.uuid,
                         "organisations_interested": selectors.interest_count(opportunity=opportunity)})


class ApprovedListEntrySerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    pathways = serializers.SlugRelatedField(source="terms", many=True, slug_field="code", read_only=True)
    areas = serializers.SlugRelatedField(many=True, slug_field="name", read_only=True)

    class Meta:
        model = ApprovedListEntry
        fields = ["id", "organisation", "status", "pathways", "areas", "submitted_at", "reviewed_at", "expires_on"]

    def get_organisation(self, entry) -> dict:
        return {"uuid": str(entry.organisation.uuid), "name": entry.organisation.name}


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovedList(generics.ListAPIView):
    """The agency's approved list: every application sent to it, with its status and expiry."""

    serializer_class = ApprovedListEntrySerializer
    queryset = ApprovedListEntry.objects.none()

    def get_queryset(self):
        agency = _organisation(self.request)
        if not perms.can_review_for(self.request.user, agency):
            raise PermissionDenied
        return selectors.approved_list_for_agency(agency=agency)


# Writes: shared helpers ---------------------------------------------------------------------------------


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _valid(serializer_class, request, **kwargs):
    incoming = serializer_class(data=request.data, **kwargs)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


class MarketOrganisationSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    slug = serializers.CharField()
    name = serializers.CharField()


class MarketOpportunitySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    title = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


def _errors(description: str) -> OpenApiResponse:
    return OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description=f"{description}. The body names the field at fault, or ``detail``: "
                    '``{"share_of_value": ["Enter the share of the value as a whole number from 0 to 100"]}``.',
    )


NO_SUCH_APPLICATION = OpenApiResponse(description="No such application of your organisation")
NO_SUCH_OPPORTUNITY = OpenApiResponse(description="No such opportunity, or no organisation of yours")
NO_SUCH_CONSORTIUM = OpenApiResponse(description="No such consortium of your organisations, or no such member")
NOT_A_MANAGER = OpenApiResponse(description="You are not a manager of the organisation that would act")
NOT_A_REVIEWER = OpenApiResponse(description="You are not a partnership development worker of the agency")
NOT_THE_LEAD = OpenApiResponse(description="You are not a manager of the consortium's lead organisation")
REMOVED = OpenApiResponse(description="Done; nothing to return")


# Interest in an opportunity --------------------------------------------------------------------------------

class InterestRegisterSerializer(serializers.Serializer):
    visible_to_partners = serializers.BooleanField(
        default=False, help_text="Possible partners may see that your organisation is interested and get in touch."
    )


class InterestMineSerializer(serializers.ModelSerializer):
    opportunity = MarketOpportunitySerializer()
    organisation = MarketOrganisationSerializer()

    class Meta:
        model = Interest
        fields = ["opportunity", "organisation", "visible_to_partners", "registered_at"]


def _taking_part(request, opportunity):
    """The organisation the person acts for on ``opportunity``, as on the opportunity page: ``?organisation=``,
    else the one they act for, else their first one that is not the buyer or the agency."""
    if not perms.organisations_that_may_register(request.user, opportunity):
        raise PermissionDenied  # they may see the opportunity, but have no organisation that may take part
    return perms.organisation_for_opportunity(
        user=request.user, opportunity=opportunity, slug=request.query_params.get("organisation"),
        preferred=getattr(request, "acting_for", None),
    )


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class InterestMine(APIView):
    """Your organisation's interest in an opportunity: register it (again, to change whether partners may see
    it), or withdraw it. Only while the opportunity is forthcoming or open."""

    def _opportunity(self):
        return permissions.opportunity_get_for_user(user=self.request.user,
                                                    opportunity_id=self.kwargs["opportunity_id"])

    @extend_schema(request=InterestRegisterSerializer, responses={
        200: InterestMineSerializer, 201: InterestMineSerializer,
        400: _errors("Interest cannot be registered now"),
        403: OpenApiResponse(description="You have no organisation that may take part: you work for the buyer or "
                                         "the agency"),
        404: NO_SUCH_OPPORTUNITY,
    })
    def post(self, request, opportunity_id):
        opportunity = self._opportunity()
        organisation = _taking_part(request, opportunity)
        data = _valid(InterestRegisterSerializer, request)
        existed = selectors.interest_for(opportunity=opportunity, organisation=organisation) is not None
        try:
            interest = services.interest_register(opportunity=opportunity, organisation=organisation, by=request.user,
                                                  visible_to_partners=data["visible_to_partners"])
        except DomainError as error:
            return refusal(error)
        return Response(InterestMineSerializer(interest).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={
        204: REMOVED, 400: _errors("Your organisation had not registered interest"),
        403: OpenApiResponse(description="You have no organisation that may take part"), 404: NO_SUCH_OPPORTUNITY,
    })
    def delete(self, request, opportunity_id):
        opportunity = self._opportunity()
        organisation = _taking_part(request, opportunity)
        try:
            services.interest_withdraw(opportunity=opportunity, organisation=organisation, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The approved list: applying ---------------------------------------------------------------------------

STATUS_HELP = "One of: " + ", ".join(ApprovalStatus.values)


class ApprovalEvidenceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="One of: " + ", ".join(EvidenceKind.values))
    file = serializers.SerializerMethodField(help_text="Where the uploaded file is downloaded, if there is one")

    class Meta:
        model = ApprovalEvidence
        fields = ["id", "kind", "title", "note", "expires_on", "file", "original_name", "content_type"]
        extra_kwargs = {"original_name": {"help_text": "The file's name as it was uploaded"},
                        "content_type": {"help_text": "The file's type, found from its content"}}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file(self, evidence):
        if not evidence.file:
            return None
        return reverse("commissioning:approval-evidence", args=[evidence.entry_id, evidence.pk])


class ApprovalApplicationSerializer(serializers.ModelSerializer):
    organisation = MarketOrganisationSerializer()
    agency = MarketOrganisationSerializer()
    status = serializers.CharField(help_text=STATUS_HELP)
    pathways = serializers.SlugRelatedField(source="terms", many=True, slug_field="code", read_only=True)
    areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    evidence = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField(help_text="What is missing before it can be sent")

    class Meta:
        model = ApprovedListEntry
        fields = ["id", "organisation", "agency", "status", "pathways", "areas", "submitted_at", "reviewed_at",
                  "review_note", "expires_on", "evidence", "problems"]

    @extend_schema_field(ApprovalEvidenceSerializer(many=True))
    def get_evidence(self, entry):
        return ApprovalEvidenceSerializer(entry.evidence.order_by("kind", "pk"), many=True).data

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, entry):
        return [{"field": field, "message": message} for field, message in services.application_problems(entry)]


class ApprovalApplicationStartSerializer(serializers.Serializer):
    agency = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.agencies_for_choice(),
                                          help_text="The slug of the bidding agency whose approved list you apply to")
    pathways = serializers.SlugRelatedField(many=True, slug_field="code", required=False, queryset=pathway_choices(),
                                            help_text="Codes of the pathways you want to be invited for; none for any")
    areas = serializers.PrimaryKeyRelatedField(many=True, required=False,
                                               queryset=Place.objects.filter(retired_at__isnull=True),
                                               help_text="Ids of the places you work in; none for anywhere")


class ApprovalEvidenceAddSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(required=False, allow_null=True,
                                 help_text="A PDF, Word or OpenDocument file, checked by its content")
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="Instead of a file or beside it; for a reference, who to contact and how")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


def _applicant_entry(request, entry_id, *, change=False) -> ApprovedListEntry:
    """An application of the organisation the person acts for (404 for anyone else's); 403 when asked to change
    it by a member who is not a manager."""
    entry = perms.entry_get_for_applicant(user=request.user, organisation=_organisation(request), entry_id=entry_id)
    if change:
        _check(perms.can_apply(request.user, entry.organisation))
    return entry


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovalApplicationList(APIView):
    """Your organisation's applications to agencies' approved lists, and starting one (a draft: add the evidence,
    then send it)."""

    @extend_schema(responses={200: ApprovalApplicationSerializer(many=True), 404: NO_SUCH_APPLICATION})
    def get(self, request):
        entries = selectors.applications_for(organisation=_organisation(request)).select_related(
            "organisation", "agency").prefetch_related("terms", "areas")
        return Response(ApprovalApplicationSerializer(entries, many=True).data)

    @extend_schema(request=ApprovalApplicationStartSerializer, responses={
        201: ApprovalApplicationSerializer, 400: _errors("The agency, pathways or areas are not right"),
        403: NOT_A_MANAGER, 404: OpenApiResponse(description="No such organisation of yours"),
    })
    def post(self, request):
        organisation = _organisation(request)
        _check(perms.can_apply(request.user, organisation))
        data = _valid(ApprovalApplicationStartSerializer, request)
        try:
            entry = services.approval_application_start(
                organisation=organisation, agency=data["agency"], by=request.user,
                terms=data.get("pathways", []), areas=data.get("areas", []),
            )
        except DomainError as error:
            return refusal(error, names={"terms": "pathways"})
        return Response(ApprovalApplicationSerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovalApplicationDetail(APIView):
    """One of your organisation's applications, with its evidence and what is still missing."""

    @extend_schema(responses={200: ApprovalApplicationSerializer, 404: NO_SUCH_APPLICATION})
    def get(self, request, entry_id):
        return Response(ApprovalApplicationSerializer(_applicant_entry(request, entry_id)).data)


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovalEvidenceList(APIView):
    """Add a piece of evidence to a draft or returned application: an uploaded file, a note, or both."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ApprovalEvidenceAddSerializer, responses={
        201: ApprovalEvidenceSerializer, 400: _errors("The evidence is not right, or the application has been sent"),
        403: NOT_A_MANAGER, 404: NO_SUCH_APPLICATION,
    })
    def post(self, request, entry_id):
        entry = _applicant_entry(request, entry_id, change=True)
        data = _valid(ApprovalEvidenceAddSerializer, request)
        try:
            evidence = services.approval_evidence_add(
                entry=entry, by=request.user, kind=data["kind"], title=data["title"], upload=data.get("file"),
                note=data["note"], expires_on=data["expires_on"],
            )
        except DomainError as error:
            return refusal(error)
        return Response(ApprovalEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovalEvidenceDetail(APIView):
    """Remove a piece of evidence from a draft or returned application."""

    @extend_schema(request=None, responses={
        204: REMOVED, 400: _errors("The application has been sent"), 403: NOT_A_MANAGER,
        404: OpenApiResponse(description="No such application of your organisation, or no such evidence in it"),
    })
    def delete(self, request, entry_id, evidence_id):
        entry = _applicant_entry(request, entry_id, change=True)
        if not entry.evidence.filter(pk=evidence_id).exists():
            raise Http404("No such evidence")
        try:
            services.approval_evidence_remove(entry=entry, by=request.user, evidence_id=evidence_id)
        except DomainError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovalApplicationSubmit(APIView):
    """Send the application to the agency. If something is missing, every problem is listed by field."""

    @extend_schema(request=None, responses={
        200: ApprovalApplicationSerializer, 400: _errors("Something is missing, or it has been sent already"),
        403: NOT_A_MANAGER, 404: NO_SUCH_APPLICATION,
    })
    def post(self, request, entry_id):
        entry = _applicant_entry(request, entry_id, change=True)
        try:
            entry = services.approval_application_submit(entry=entry, by=request.user)
        except DomainError as error:
            problems = services.application_problems(entry) if error.field else []
            if not problems:
                return refusal(error)
            errors: dict[str, list[str]] = {}
            for field, message in problems:
                errors.setdefault(field, []).append(message)
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(ApprovalApplicationSerializer(entry).data)


# The approved list: the agency's decision ------------------------------------------------------------------

class ApprovalDecisionSerializer(ApprovedListEntrySerializer):
    status = serializers.CharField(help_text=STATUS_HELP)

    class Meta(ApprovedListEntrySerializer.Meta):
        fields = [*ApprovedListEntrySerializer.Meta.fields, "review_note"]


class ApprovalApproveSerializer(serializers.Serializer):
    expires_on = serializers.DateField(required=False, allow_null=True, default=None,
                                       help_text="The day the approval ends; required, and in the future")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="A note to the organisation")


class ApprovalReturnSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="Required: what the organisation needs to add or change")


def _reviewer_entry(request, entry_id) -> ApprovedListEntry:
    """As on the agency's review page: 404 for someone outside the agency named, 403 for its members who are not
    partnership development workers, 404 for an application not sent to it."""
    agency = _organisation(request)
    _check(perms.can_review_for(request.user, agency))
    return perms.entry_get_for_reviewer(user=request.user, agency=agency, entry_id=entry_id)


NOT_SENT_TO_YOU = OpenApiResponse(description="No such application sent to your agency")


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovalApprove(APIView):
    """Approve an application waiting for review: the organisation is on the agency's list until ``expires_on``."""

    @extend_schema(request=ApprovalApproveSerializer, responses={
        200: ApprovalDecisionSerializer, 400: _errors("No expiry date, or it is not waiting for review"),
        403: NOT_A_REVIEWER, 404: NOT_SENT_TO_YOU,
    })
    def post(self, request, entry_id):
        entry = _reviewer_entry(request, entry_id)
        data = _valid(ApprovalApproveSerializer, request)
        try:
            entry = services.approval_approve(entry=entry, by=request.user, expires_on=data["expires_on"],
                                              note=data["note"])
        except DomainError as error:
            return refusal(error)
        return Response(ApprovalDecisionSerializer(entry).data)


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ApprovalReturn(APIView):
    """Return an application waiting for review, saying what the organisation needs to add or change."""

    @extend_schema(request=ApprovalReturnSerializer, responses={
        200: ApprovalDecisionSerializer, 400: _errors("No note, or it is not waiting for review"),
        403: NOT_A_REVIEWER, 404: NOT_SENT_TO_YOU,
    })
    def post(self, request, entry_id):
        entry = _reviewer_entry(request, entry_id)
        data = _valid(ApprovalReturnSerializer, request)
        try:
            entry = services.approval_return(entry=entry, by=request.user, note=data["note"])
        except DomainError as error:
            return refusal(error)
        return Response(ApprovalDecisionSerializer(entry).data)


# Invitations from the approved list ------------------------------------------------------------------------

class InvitationsSentSerializer(serializers.Serializer):
    invited = MarketOrganisationSerializer(many=True, help_text="The organisations invited now (none if every one "
                                                                "in scope had been invited already)")


@extend_schema(tags=["market"])
class OpportunityInvitations(APIView):
    """Invite to a mini-competition every approved, unexpired organisation on the agency's list whose pathways
    and areas it is in: an email and a recorded notification each. Sending again invites only those added to
    the list since."""

    @extend_schema(request=None, responses={
        200: InvitationsSentSerializer,
        400: _errors("Not sent: not a mini-competition, or not published (forthcoming or open); ``detail`` lists "
                     "every reason"),
        403: OpenApiResponse(description="You belong to the buyer or the agency but may not publish for it"),
        404: OpenApiResponse(description="No such opportunity of the buyer or the agency you belong to"),
    })
    def post(self, request, opportunity_id):
        opportunity = permissions.opportunity_get_for_manager(user=request.user, opportunity_id=opportunity_id)
        if problems := services.invitation_problems(opportunity):
            return Response({"detail": problems}, status=status.HTTP_400_BAD_REQUEST)
        try:
            invited = services.invitations_send(opportunity=opportunity, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(InvitationsSentSerializer({"invited": invited}).data)


# Consortia ----------------------------------------------------------------------------------------------

class ConsortiumMemberSerializer(serializers.ModelSerializer):
    organisation = MarketOrganisationSerializer()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    share_of_work = serializers.IntegerField(source="share_of_work_percent", help_text="Per cent of the work")
    share_of_value = serializers.IntegerField(source="share_of_value_percent", help_text="Per cent of the value")

    class Meta:
        model = ConsortiumMember
        fields = ["id", "organisation", "role", "share_of_work", "share_of_value", "agreed_at"]


class ConsortiumSerializer(serializers.ModelSerializer):
    opportunity = MarketOpportunitySerializer()
    lead = MarketOrganisationSerializer()
    members = serializers.SerializerMethodField(help_text="The lead first, then members, then subcontractors")
    work_total = serializers.SerializerMethodField()
    value_total = serializers.SerializerMethodField(help_text="Must be 100 before members agree")
    ready = serializers.SerializerMethodField(
        help_text="Two or more organisations, value shares adding up to 100, every member agreed and the "
                  "agreement recorded")
    agreement_document = serializers.SerializerMethodField(help_text="Where the signed agreement is downloaded")

    class Meta:
        model = Consortium
        fields = ["id", "name", "opportunity", "lead", "members", "work_total", "value_total",
                  "agreement_summary", "agreement_recorded_at", "agreement_document", "ready", "created_at"]

    @extend_schema_field(ConsortiumMemberSerializer(many=True))
    def get_members(self, consortium):
        return ConsortiumMemberSerializer(selectors.consortium_members(consortium), many=True).data

    def get_work_total(self, consortium) -> int:
        return selectors.work_share_total(consortium)

    def get_value_total(self, consortium) -> int:
        return selectors.value_share_total(consortium)

    def get_ready(self, consortium) -> bool:
        return selectors.consortium_ready(consortium)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agreement_document(self, consortium):
        if not consortium.agreement_document:
            return None
        return reverse("commissioning:consortium-document", args=[consortium.pk])


class ConsortiumCreateSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, help_text="200 characters or fewer")
    share_of_work = serializers.IntegerField(default=100, help_text="Your organisation's share of the work, 0 to 100")
    share_of_value = serializers.IntegerField(default=100, help_text="Your organisation's share of the value, 0 to 100")


class ConsortiumMemberAddSerializer(serializers.Serializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(),
                                                help_text="The slug of the organisation to add")
    role = serializers.ChoiceField(choices=[(MemberRole.MEMBER.value, MemberRole.MEMBER.label),
                                            (MemberRole.SUBCONTRACTOR.value, MemberRole.SUBCONTRACTOR.label)],
                                   default=MemberRole.MEMBER.value)
    share_of_work = serializers.IntegerField(help_text="Their share of the work, 0 to 100")
    share_of_value = serializers.IntegerField(help_text="Their share of the value, 0 to 100")


class ConsortiumSharesSerializer(serializers.Serializer):
    share_of_work = serializers.IntegerField(required=False, help_text="0 to 100; unchanged if left out")
    share_of_value = serializers.IntegerField(required=False, help_text="0 to 100; unchanged if left out")


class ConsortiumAgreeSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="The id of the member (of the consortium) you agree for")


class ConsortiumAgreementSerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True, help_text="What the members agreed: roles, money and risks")
    document = serializers.FileField(required=False, allow_null=True,
                                     help_text="The signed agreement: a PDF, Word or OpenDocument file")


def _consortium(request, consortium_id, *, change=False) -> Consortium:
    """404 for anyone outside the consortium's organisations; 403 for its members who may not change it."""
    consortium = perms.consortium_get_for_user(user=request.user, consortium_id=consortium_id)
    if change:
        _check(perms.can_change_consortium(request.user, consortium))
    return consortium


def _member(consortium, member_id) -> ConsortiumMember:
    member = consortium.members.select_related("organisation").filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member")
    return member


@extend_schema(tags=["market"], parameters=[ORGANISATION])
class ConsortiumCreate(APIView):
    """Start a consortium to bid for an opportunity, led by your organisation, with its own shares."""

    @extend_schema(request=ConsortiumCreateSerializer, responses={
        201: ConsortiumSerializer, 400: _errors("The name or shares are not right, or it is not open"),
        403: OpenApiResponse(description="You do not manage an organisation that may take part"),
        404: NO_SUCH_OPPORTUNITY,
    })
    def post(self, request, opportunity_id):
        opportunity = permissions.opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
        lead = _taking_part(request, opportunity)
        _check(org_permissions.can_manage_organisation(request.user, lead))
        data = _valid(ConsortiumCreateSerializer, request)
        try:
            consortium = services.consortium_create(opportunity=opportunity, lead=lead, by=request.user, **data)
        except DomainError as error:
            return refusal(error)
        return Response(ConsortiumSerializer(consortium).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"])
class ConsortiumDetail(APIView):
    """A consortium, its members and their shares, for the members of its organisations."""

    @extend_schema(responses={200: ConsortiumSerializer, 404: NO_SUCH_CONSORTIUM})
    def get(self, request, consortium_id):
        return Response(ConsortiumSerializer(_consortium(request, consortium_id)).data)


@extend_schema(tags=["market"])
class ConsortiumMemberList(APIView):
    """Add an organisation as a member or subcontractor. Every member then agrees again."""

    @extend_schema(request=ConsortiumMemberAddSerializer, responses={
        201: ConsortiumMemberSerializer, 400: _errors("The organisation, role or shares are not right"),
        403: NOT_THE_LEAD, 404: NO_SUCH_CONSORTIUM,
    })
    def post(self, request, consortium_id):
        consortium = _consortium(request, consortium_id, change=True)
        data = _valid(ConsortiumMemberAddSerializer, request)
        try:
            member = services.consortium_member_add(consortium=consortium, by=request.user, **data)
        except DomainError as error:
            return refusal(error)
        return Response(ConsortiumMemberSerializer(member).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"])
class ConsortiumMemberDetail(APIView):
    """Change a member's shares, or take it out of the consortium (never the lead). Every member then agrees
    again."""

    @extend_schema(request=ConsortiumSharesSerializer, responses={
        200: ConsortiumMemberSerializer, 400: _errors("The shares are not right"), 403: NOT_THE_LEAD,
        404: NO_SUCH_CONSORTIUM,
    })
    def patch(self, request, consortium_id, member_id):
        consortium = _consortium(request, consortium_id, change=True)
        member = _member(consortium, member_id)
        data = _valid(ConsortiumSharesSerializer, request)
        try:
            member = services.consortium_member_update(
                consortium=consortium, by=request.user, member_id=member.pk,
                share_of_work=data.get("share_of_work", member.share_of_work_percent),
                share_of_value=data.get("share_of_value", member.share_of_value_percent),
            )
        except DomainError as error:
            return refusal(error)
        return Response(ConsortiumMemberSerializer(member).data)

    @extend_schema(request=None, responses={
        204: REMOVED, 400: _errors("The lead cannot leave, or the bid has been submitted"), 403: NOT_THE_LEAD,
        404: NO_SUCH_CONSORTIUM,
    })
    def delete(self, request, consortium_id, member_id):
        consortium = _consortium(request, consortium_id, change=True)
        member = _member(consortium, member_id)
        try:
            services.consortium_member_remove(consortium=consortium, by=request.user, member_id=member.pk)
        except DomainError as error:
            return refusal(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["market"])
class ConsortiumAgree(APIView):
    """A manager of a member organisation agrees to its role and shares as they stand."""

    @extend_schema(request=ConsortiumAgreeSerializer, responses={
        200: ConsortiumMemberSerializer, 400: _errors("The shares of the value do not add up to 100%"),
        403: OpenApiResponse(description="You are not a manager of that member organisation"),
        404: NO_SUCH_CONSORTIUM,
    })
    def post(self, request, consortium_id):
        consortium = _consortium(request, consortium_id)
        data = _valid(ConsortiumAgreeSerializer, request)
        member = _member(consortium, data["member"])
        _check(perms.can_agree_for(request.user, member))
        try:
            member = services.consortium_member_agree(consortium=consortium, organisation=member.organisation,
                                                      by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(ConsortiumMemberSerializer(member).data)


@extend_schema(tags=["market"])
class ConsortiumAgreement(APIView):
    """The lead records what the members agreed, once every member has agreed, with the signed agreement if
    there is one."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ConsortiumAgreementSerializer, responses={
        200: ConsortiumSerializer, 400: _errors("No summary, a member has not agreed, or the file is not right"),
        403: NOT_THE_LEAD, 404: NO_SUCH_CONSORTIUM,
    })
    def post(self, request, consortium_id):
        consortium = _consortium(request, consortium_id, change=True)
        data = _valid(ConsortiumAgreementSerializer, request)
        try:
            consortium = services.consortium_agreement_record(
                consortium=consortium, by=request.user, summary=data["summary"], document=data.get("document"),
            )
        except DomainError as error:
            return refusal(error, names={"file": "document"})
        return Response(ConsortiumSerializer(consortium).data)


urlpatterns = [
    path("market/interest-profile/", InterestProfileDetail.as_view(), name="api-interest-profile"),
    path("market/interests/", InterestList.as_view(), name="api-interests"),
    path("market/approved-list/", ApprovedList.as_view(), name="api-approved-list"),
    path("opportunities/<uuid:opportunity_id>/interest/", InterestCount.as_view(), name="api-interest-count"),
    path("opportunities/<uuid:opportunity_id>/interest/mine/", InterestMine.as_view(), name="api-interest-mine"),
    path("market/approved-list/applications/", ApprovalApplicationList.as_view(), name="api-approval-applications"),
    path("market/approved-list/applications/<int:entry_id>/", ApprovalApplicationDetail.as_view(),
         name="api-approval-application"),
    path("market/approved-list/applications/<int:entry_id>/evidence/", ApprovalEvidenceList.as_view(),
         name="api-approval-evidence-list"),
    path("market/approved-list/applications/<int:entry_id>/evidence/<int:evidence_id>/",
         ApprovalEvidenceDetail.as_view(), name="api-approval-evidence"),
    path("market/approved-list/applications/<int:entry_id>/submit/", ApprovalApplicationSubmit.as_view(),
         name="api-approval-submit"),
    path("market/approved-list/<int:entry_id>/approve/", ApprovalApprove.as_view(), name="api-approval-approve"),
    path("market/approved-list/<int:entry_id>/return/", ApprovalReturn.as_view(), name="api-approval-return"),
    path("opportunities/<uuid:opportunity_id>/invitations/", OpportunityInvitations.as_view(),
         name="api-opportunity-invitations"),
    path("opportunities/<uuid:opportunity_id>/consortia/", ConsortiumCreate.as_view(), name="api-consortium-create"),
    path("consortia/<int:consortium_id>/", ConsortiumDetail.as_view(), name="api-consortium"),
    path("consortia/<int:consortium_id>/members/", ConsortiumMemberList.as_view(), name="api-consortium-members"),
    path("consortia/<int:consortium_id>/members/<int:member_id>/", ConsortiumMemberDetail.as_view(),
         name="api-consortium-member"),
    path("consortia/<int:consortium_id>/agree/", ConsortiumAgree.as_view(), name="api-consortium-agree"),
    path("consortia/<int:consortium_id>/agreement/", ConsortiumAgreement.as_view(), name="api-consortium-agreement"),
]
