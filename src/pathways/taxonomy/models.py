"""The one classification every app uses: resettlement pathways, service categories, client groups.

Codes are stable: they are what Open Referral UK and OCDS exports carry, so a term is never renamed
in code or deleted; curators retire it, and old records still show it.
"""

import functools
import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .seed import TERM_PREFIXES

# Fixed namespace so that a term's UUID (its Open Referral UK id) is the same on every installation.
TERM_NAMESPACE = uuid.UUID("6f1c2a52-3a1e-4c59-9b0f-2d7c5a1e8e40")


@functools.lru_cache(maxsize=4096)
def _named_uuid(name: str) -> uuid.UUID:
    """The fixed UUID of a vocabulary or term code (an export names every term of every service)."""
    return uuid.uuid5(TERM_NAMESPACE, name)


class Vocabulary(models.Model):
    """A list of terms (an Open Referral UK 'taxonomy')."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "vocabularies"

    def __str__(self):
        return self.name

    @property
    def uuid(self) -> uuid.UUID:
        return _named_uuid(f"vocabulary:{self.code}")

    @property
    def term_prefix(self) -> str:
        """What starts the code of every term in this vocabulary, as 'category' does in 'category-arts'."""
        return TERM_PREFIXES.get(self.code, self.code)


class TermQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_at__isnull=True)


class Term(models.Model):
    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="terms")
    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.CharField(max_length=300, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "vocabulary", name="term_unique_name_per_vocabulary"),
        ]

    def __str__(self):
        return f"{self.name} (retired)" if self.is_retired else self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def uuid(self) -> uuid.UUID:
        return _named_uuid(f"term:{self.code}")
