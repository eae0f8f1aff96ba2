"""REST endpoints of this app, wired under /api/v1/ by pathways.api.urls."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import JobStatus
from .permissions import job_get_for_user
from .selectors import job_progress

JobProgressSerializer = inline_serializer(
    name="JobProgress",
    fields={
        "id": serializers.UUIDField(),
        "title": serializers.CharField(),
        "status": serializers.ChoiceField(choices=JobStatus.choices),
        "status_label": serializers.CharField(),
        "finished": serializers.BooleanField(),
        "done": serializers.IntegerField(),
        "total": serializers.IntegerField(allow_null=True),
        "percent": serializers.IntegerField(),
        "message": serializers.CharField(),
        "error": serializers.CharField(),
        "result": serializers.DictField(),
    },
)


class JobDetail(APIView):
    """How far one of your background jobs has gone. Jobs started by anyone else are not found."""

    @extend_schema(responses={200: JobProgressSerializer, 404: OpenApiResponse(description="No such job")})
    def get(self, request, job_id):
        return Response(job_progress(job_get_for_user(user=request.user, job_id=job_id)))


urlpatterns = [
    path("jobs/<uuid:job_id>/", JobDetail.as_view(), name="api-job-detail"),
]
