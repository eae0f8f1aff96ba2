"""A readability hint for an opportunity's plain-language summary.

Not a score to pass: the average sentence length, the sentences that run long, and the tendering words
from the glossary that the summary uses without explaining them (no brackets or "means" in the same
sentence). It is shown to the commissioner on the form, the opportunity's overview and before publishing.
"""

import re
from dataclasses import dataclass, field

from ..guides import GLOSSARY, GlossaryEntry

LONG_SENTENCE_WORDS = 25
AIM_AVERAGE_WORDS = 20

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*•]\s*")
_WORD = re.compile(r"[A-Za-z0-9£€$]+(?:['’.,-][A-Za-z0-9]+)*")
_EXPLAINED = re.compile(r"\(|\bmeans\b|\bmeaning\b|\bthat is\b|\bi\.e\.|\bcalled\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReadabilityHint:
    words: int = 0
    sentences: int = 0
    average_sentence_words: float = 0.0
    long_sentences: list[str] = field(default_factory=list)
    unexplained: list[GlossaryEntry] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.words == 0

    @property
    def reads_well(self) -> bool:
        return (
            not self.is_empty and self.average_sentence_words <= AIM_AVERAGE_WORDS
            and not self.long_sentences and not self.unexplained
        )


def _sentences(text: str) -> list[str]:
    parts = (part.strip(" \t\r\n-*•") for part in _SENTENCE_END.split(text))
    return [part for part in parts if _WORD.search(part)]


def readability_hint(text: str) -> ReadabilityHint:
    sentences = _sentences(text or "")
    if not sentences:
        return ReadabilityHint()
    counts = [len(_WORD.findall(sentence)) for sentence in sentences]
    unexplained: list[GlossaryEntry] = []
    for entry in GLOSSARY:
        if not entry.jargon:
            continue
        patterns = entry.compiled()
        used_in = [sentence for sentence in sentences if any(p.search(sentence) for p in patterns)]
        if used_in and not any(_EXPLAINED.search(sentence) for sentence in used_in):
            unexplained.append(entry)
    return ReadabilityHint(
        words=sum(counts),
        sentences=len(sentences),
        average_sentence_words=round(sum(counts) / len(sentences), 1),
        long_sentences=[s for s, n in zip(sentences, counts, strict=True) if n > LONG_SENTENCE_WORDS],
        unexplained=unexplained,
    )
