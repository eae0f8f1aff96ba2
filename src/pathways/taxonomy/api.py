"""The taxonomy and the places, read-only and public: anyone may read them without signing in.

Wired under /api/v1/ by pathways.api.urls. Retired terms can be read by their code, so that old
records and exports still resolve them.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from pathways.organisations import managed_lists

from . import selectors
from .serializers import (
    PlaceQuerySerializer,
    PlaceWithParentSerializer,
    TermQuerySerializer,
    TermSerializer,
    VocabularySerializer,
)


class PublicReadOnly:
    permission_classes = [AllowAny]
    filter_backends: list = []


@extend_schema(tags=["taxonomy"], summary="The vocabularies: resettlement pathways, service categories, client groups")
class VocabularyList(PublicReadOnly, generics.ListAPIView):
    serializer_class = VocabularySerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.vocabulary_list()


@extend_schema(tags=["taxonomy"], summary="Terms, current ones unless asked", parameters=[TermQuerySerializer])
class TermList(PublicReadOnly, generics.ListAPIView):
    serializer_class = TermSerializer

    def get_queryset(self):
        query = TermQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.term_list(
            vocabulary_code=query.validated_data.get("vocabulary", ""),
            include_retired=query.validated_data["include_retired"],
            query=query.validated_data["q"],
        )


@extend_schema(tags=["taxonomy"], summary="One term by its code, retired or not")
class TermDetail(PublicReadOnly, generics.RetrieveAPIView):
    serializer_class = TermSerializer

    def get_object(self):
        term = selectors.term_get(code=self.kwargs["code"])
        if term is None:
            raise Http404("No such term")
        return term


@extend_schema(tags=["places"], summary="Current places", parameters=[PlaceQuerySerializer])
class PlaceList(PublicReadOnly, generics.ListAPIView):
    serializer_class = PlaceWithParentSerializer

    def get_queryset(self):
        query = PlaceQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return managed_lists.place_list(kind=query.validated_data.get("kind"))


urlpatterns = [
    path("taxonomy/vocabularies/", VocabularyList.as_view(), name="api-taxonomy-vocabularies"),
    path("taxonomy/terms/", TermList.as_view(), name="api-taxonomy-terms"),
    path("taxonomy/terms/<slug:code>/", TermDetail.as_view(), name="api-taxonomy-term"),
    path("places/", PlaceList.as_view(), name="api-places"),
]
