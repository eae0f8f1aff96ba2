"""Help with tendering, as content: plain-language guides, a glossary, the bid-readiness checklist and the
notes shown beside opportunities (such as why a short-term contract is flagged).

The words are data here and in ``templates/commissioning/guides/``; pages and services read them.
"""

from .checklist import READINESS_GROUPS, READINESS_ITEMS, ReadinessItem, readiness_item_codes
from .content import GUIDES, PROCEDURE_NOTES, SHORT_TERM_REASON, SHORT_TERM_SOURCE, Guide, guide_get
from .glossary import GLOSSARY, GlossaryEntry, glossary_by_letter

__all__ = [
    "GLOSSARY", "GUIDES", "PROCEDURE_NOTES", "READINESS_GROUPS", "READINESS_ITEMS", "SHORT_TERM_REASON",
    "SHORT_TERM_SOURCE", "GlossaryEntry", "Guide", "ReadinessItem", "glossary_by_letter", "guide_get",
    "readiness_item_codes",
]
