"""The directory REST API under /api/v1/directory/: what Open Referral UK does not cover (funding,
relationships with statutory bodies, freshness, change requests) and the provision map's figures.

Published records are open to anyone. A provider's members also see its drafts; curators see
everything. Anything someone may not see is not found (404); something they may see but not change
is forbidden (403). Writes go through pathways.directory.services, as the pages' do.
"""

import uuid

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from . import permissions
from .filters import ChangeRequestFilter, ServiceFilter
from .models import ChangeRequest, Service
from .selectors.api import change_requests_visible_to, services_visible_to
from .selectors.provision import provision_map_cached
from .serializers import (
    ChangeRequestCreateSerializer,
    ChangeRequestDecisionSerializer,
    ChangeRequestForDeciderSerializer,
    ChangeRequestSerializer,
    ProvisionMapSerializer,
    ProvisionQuerySerializer,
    ServiceSerializer,
)
from .services.records import change_request_decide, change_request_submit, service_mark_checked

TAG = "directory"
NOT_FOUND = OpenApiResponse(description="No such record, or not one you may see")
NOT_SIGNED_IN = OpenApiResponse(description="Not signed in")
FORBIDDEN = OpenApiResponse(description="Not signed in, or you may see it but not do this")
INVALID = OpenApiResponse(description="What was sent is not valid: {detail, errors: {field: [messages]}}")


def _service_for(user, service_id) -> Service:
    try:
        service_uuid = uuid.UUID(str(service_id))
    except ValueError:
        raise Http404("No such service") from None
    return permissions.service_get_for_user(user=user, service_id=service_uuid)


@extend_schema(
    tags=[TAG],
    summary="Services, with their funding, statutory relationships and freshness",
    description="Published services for everyone; a provider's drafts and withdrawn records too for its "
    "members; every record for curators. Filter by provider, taxonomy term, area (areas inside it match "
    "too), staleness, kind of funding, and the basis of a relationship with a statutory body or the body.",
)
class ServiceList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    queryset = Service.objects.none()  # tells the schema the model; get_queryset() is what runs

    def get_queryset(self):
        return services_visible_to(user=self.request.user)


@extend_schema(
    tags=[TAG], summary="One service by its id", responses={200: ServiceSerializer, 404: NOT_FOUND},
)
class ServiceDetail(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceSerializer
    queryset = Service.objects.none()

    def get_object(self):
        service = _service_for(self.request.user, self.kwargs["service_id"])
        return services_visible_to(user=self.request.user).get(pk=service.pk)


class ServiceCheck(APIView):
    """Record that the service's record has been checked: verified by a curator, or confirmed as still
    right by its provider's managers. Either way the record is fresh again."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], summary="Mark a service as checked", request=None,
        responses={200: ServiceSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, service_id):
        service = _service_for(request.user, service_id)
        service_mark_checked(service=service, by=request.user)
        fresh = services_visible_to(user=request.user).get(pk=service.pk)
        return Response(ServiceSerializer(fresh, context={"request": request}).data)


class ChangeRequestThrottle(AnonRateThrottle):
    """Reports from people who are not signed in, limited so that nobody floods a provider."""

    rate = "60/hour"


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Change requests about the services you look after",
        description="For a provider's managers, the requests about its services; for curators, every "
        "request. With who sent each one and how it was decided.",
        responses={200: ChangeRequestForDeciderSerializer(many=True), 403: NOT_SIGNED_IN},
    ),
    post=extend_schema(
        tags=[TAG],
        summary="Report a problem or suggest a change",
        description="Anyone may send one about a published service, without signing in. The name and email "
        "given are kept for the reply and shown only to the provider's managers and the curators: the "
        "response carries them only when the sender is one of those.",
        request=ChangeRequestCreateSerializer,
        responses={201: ChangeRequestSerializer, 400: INVALID},
    ),
)
class ChangeRequestList(generics.ListCreateAPIView):
    filterset_class = ChangeRequestFilter
    serializer_class = ChangeRequestForDeciderSerializer
    queryset = ChangeRequest.objects.none()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [ChangeRequestThrottle()] if self.request.method == "POST" else []

    def get_queryset(self):
        return change_requests_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        data = ChangeRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        try:
            service = permissions.service_get_for_user(user=request.user, service_id=fields.pop("service"))
        except Http404:
            raise ValidationError({"service": ["There is no published service with this id."]}) from None
        change_request = change_request_submit(service=service, reporter=request.user, **fields)
        decider = permissions.can_decide_change_request(request.user, change_request)
        serializer = ChangeRequestForDeciderSerializer if decider else ChangeRequestSerializer
        return Response(serializer(change_request).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=[TAG], summary="One change request, for those who decide it",
    responses={200: ChangeRequestForDeciderSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
)
class ChangeRequestDetail(generics.RetrieveAPIView):
    serializer_class = ChangeRequestForDeciderSerializer
    queryset = ChangeRequest.objects.none()

    def get_object(self):
        return permissions.change_request_get_for_user(
            user=self.request.user, change_request_id=self.kwargs["change_request_id"]
        )


class ChangeRequestDecision(APIView):
    """Accept a change request (its suggested changes are applied as a new version of the record) or
    reject it, always with a reason the sender will see."""

    @extend_schema(
        tags=[TAG], summary="Decide a change request", request=ChangeRequestDecisionSerializer,
        responses={200: ChangeRequestForDeciderSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, change_request_id):
        change_request = permissions.change_request_get_for_user(
            user=request.user, change_request_id=change_request_id
        )
        decision = ChangeRequestDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        change_request = change_request_decide(
            change_request=change_request, by=request.user, **decision.validated_data
        )
        return Response(ChangeRequestForDeciderSerializer(change_request).data)


class Provision(APIView):
    """The provision map's figures: for each resettlement pathway and each area of a kind (inside
    another if asked), how many published services there are, how many were checked in the last 12
    months, and whether it is a gap. The same figures as the map's page and its CSV and XLSX."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG], summary="The provision map: pathways by area",
        parameters=[ProvisionQuerySerializer], responses={200: ProvisionMapSerializer, 400: INVALID},
    )
    def get(self, request):
        query = ProvisionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        provision = provision_map_cached(
            level=query.validated_data["level"], within=query.validated_data["within"]
        )
        return Response(ProvisionMapSerializer(provision).data)


urlpatterns = [
    path("directory/services/", ServiceList.as_view(), name="api-directory-services"),
    path("directory/services/<str:service_id>/", ServiceDetail.as_view(), name="api-directory-service"),
    path("directory/services/<str:service_id>/check/", ServiceCheck.as_view(), name="api-directory-service-check"),
    path("directory/change-requests/", ChangeRequestList.as_view(), name="api-directory-change-requests"),
    path(
        "directory/change-requests/<int:change_request_id>/", ChangeRequestDetail.as_view(),
        name="api-directory-change-request",
    ),
    path(
        "directory/change-requests/<int:change_request_id>/decision/", ChangeRequestDecision.as_view(),
        name="api-directory-change-request-decision",
    ),
    path("directory/provision/", Provision.as_view(), name="api-directory-provision"),
]
