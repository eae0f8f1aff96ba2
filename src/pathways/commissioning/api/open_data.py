"""Open contracting data (OCDS 1.1), open to everyone, under /api/v1/ocds/.

- ``releases/``: a release package of every published process, a page of processes at a time (``page``),
  optionally only releases dated on or after ``since``;
- ``releases/<ocid>/``: the release package of one process;
- ``records/<ocid>/``: its record package, with every release and the compiled release.

Drafts and unpublished opportunities are not found (404), whoever asks.
"""

from django.db.models import Q
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.fields import DateTimeField
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..ocds import packages
from ..ocds.releases import published_opportunities
from ..permissions import open_data as permissions

PAGE_SIZE = 50
TAGS = ["Open contracting data (OCDS)"]
NOT_FOUND = OpenApiResponse(description="No published process has this ocid")
RELEASE_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT, description="An OCDS 1.1 release package (release-package-schema.json)"
)
RECORD_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT, description="An OCDS 1.1 record package (record-package-schema.json)"
)


class ReleasePackageList(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=TAGS, operation_id="ocds_releases",
        summary="Releases of every published process",
        description="One OCDS release per stage (tender, updates, cancellation, award, contract) of every "
                    f"published opportunity, {PAGE_SIZE} processes a page, oldest first. The `Link` header and "
                    "`links.next` give the next page.",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1"),
            OpenApiParameter("since", OpenApiTypes.DATETIME,
                             description="Only releases dated at or after this moment (ISO 8601)"),
        ],
        responses={200: RELEASE_PACKAGE, 400: OpenApiResponse(description="A bad page or date")},
    )
    def get(self, request):
        since = None
        if request.query_params.get("since"):
            try:
                since = DateTimeField().to_internal_value(request.query_params["since"])
            except ValidationError:
                raise ValidationError({"since": ["Enter a date and time such as 2026-04-01T00:00:00Z."]})
        opportunities = published_opportunities()
        if since is not None:
            # A process changes only when it is saved, so earlier ones cannot have later releases.
            opportunities = opportunities.filter(
                Q(updated_at__gte=since) | Q(awards__contract__created_at__gte=since)
            ).distinct()
        try:
            page = Paginator(opportunities, PAGE_SIZE).page(request.query_params.get("page") or 1)
        except InvalidPage as error:
            raise ValidationError({"page": [f"There is no such page: {error}"]})
        base = request.build_absolute_uri(reverse("api-ocds-releases"))
        query = f"&since={request.query_params['since']}" if since else ""
        package = packages.release_package(
            packages.releases_for(page.object_list, since=since),
            uri=f"{base}?page={page.number}{query}",
        )
        headers = {}
        if page.has_next():
            package["links"] = {"next": f"{base}?page={page.next_page_number()}{query}"}
            headers["Link"] = f'<{package["links"]["next"]}>; rel="next"'
        return Response(package, headers=headers)


class ProcessReleasePackage(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=TAGS, operation_id="ocds_process_releases", summary="Releases of one process",
                   responses={200: RELEASE_PACKAGE, 404: NOT_FOUND})
    def get(self, request, ocid):
        opportunity = permissions.published_process_get(ocid=ocid)
        releases = list(packages.releases_for([opportunity]))
        return Response(packages.release_package(releases, uri=request.build_absolute_uri(),
                                                 published=opportunity.updated_at))


class RecordPackage(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=TAGS, operation_id="ocds_record", summary="Record of one process",
                   description="Every release of the process and the compiled release: its latest state.",
                   responses={200: RECORD_PACKAGE, 404: NOT_FOUND})
    def get(self, request, ocid):
        opportunity = permissions.published_process_get(ocid=ocid)
        package = packages.record_package([opportunity], uri=request.build_absolute_uri(),
                                          published=opportunity.updated_at)
        if not package["records"]:
            raise Http404
        return Response(package)


urlpatterns = [
    path("ocds/releases/", ReleasePackageList.as_view(), name="api-ocds-releases"),
    path("ocds/releases/<str:ocid>/", ProcessReleasePackage.as_view(), name="api-ocds-process-releases"),
    path("ocds/records/<str:ocid>/", RecordPackage.as_view(), name="api-ocds-record"),
]
