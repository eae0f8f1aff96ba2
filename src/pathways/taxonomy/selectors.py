"""Reading the taxonomy. Terms are public: anyone may read them, retired ones included."""

from django.db.models import Count, F, Q, QuerySet

from .models import Term, Vocabulary


def vocabulary_list() -> QuerySet[Vocabulary]:
    return Vocabulary.objects.all()


def vocabulary_list_with_counts() -> QuerySet[Vocabulary]:
    """Each vocabulary with ``current`` and ``retired``, its numbers of current and retired terms."""
    return Vocabulary.objects.annotate(
        current=Count("terms", filter=Q(terms__retired_at__isnull=True)),
        retired=Count("terms", filter=Q(terms__retired_at__isnull=False)),
    ).order_by("position", "name")


def term_list(*, vocabulary_code: str = "", include_retired: bool = False, query: str = "") -> QuerySet[Term]:
    """Terms, current ones first, then retired ones in the order they were retired."""
    terms = Term.objects.select_related("vocabulary", "parent")
    if vocabulary_code:
        terms = terms.filter(vocabulary__code=vocabulary_code)
    if not include_retired:
        terms = terms.current()
    if query := query.strip():
        terms = terms.filter(Q(name__icontains=query) | Q(description__icontains=query))
    return terms.order_by("vocabulary__position", F("retired_at").asc(nulls_first=True), "position", "name")


def term_get(*, code: str) -> Term | None:
    """A term by its code, retired or not: old records still show it."""
    return Term.objects.select_related("vocabulary", "parent").filter(code=code).first()


def term_parent_choices(*, vocabulary: Vocabulary) -> QuerySet[Term]:
    """The terms a new term may sit under: the vocabulary's current terms."""
    return vocabulary.terms.current().order_by("position", "name")
