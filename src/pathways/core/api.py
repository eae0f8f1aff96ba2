"""What every REST endpoint shares: a service's refusal, turned into a 400 the caller can act on."""

from collections.abc import Mapping

from rest_framework import status
from rest_framework.response import Response

from .errors import DomainError


def refusal(error: DomainError, *, names: Mapping[str, str] | None = None) -> Response:
    """A 400 with every problem the service named: ``{field: [message, ...]}``, under the field at fault
    (renamed by ``names`` where the endpoint calls it something else), or under ``detail``."""
    body: dict[str, list[str]] = {}
    for field, message in getattr(error, "problems", None) or [(error.field, error.message)]:
        field = (names or {}).get(field, field)
        body.setdefault(field or "detail", []).append(message)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
