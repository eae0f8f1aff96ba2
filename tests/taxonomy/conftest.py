import pytest

from pathways.taxonomy.models import Term, Vocabulary


@pytest.fixture
def categories(db):
    return Vocabulary.objects.get(code="service-categories")


@pytest.fixture
def arts(db):
    return Term.objects.get(code="category-arts")
