"""Hold a pack to its source: every quote is really in the seed, every seed sentence is quoted.

The seeds are text extracted from Word and PDF documents: paragraphs wrap mid-sentence, quotes
are curly, bullets vary and one seed keeps Markdown links. Both sides are normalised the same way
before comparing, so a pack author quotes words, not typography.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ESCAPE = re.compile(r"\\(.)")
_EMPHASIS = re.compile(r"\*\*|__")
_BULLET = re.compile(
    r"^\s*(?:[-*\u2022\u25cf\u25aa\u25e6\u2023\u2043\uf0b7\uf0a7o§]|\d+[.)]|[a-z][.)]|\(?[ivx]+\))\s+"
)
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s(?:\.\.\.|…)\s")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_TOC_LINE = re.compile(r"(\.{4,}|…{2,}|\t\s*\d+\s*$)")
_WORD = re.compile(r"\w+")
MIN_WORDS = 5

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _LINK.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = text.translate(_TRANSLATE)
    text = "\n".join(_BULLET.sub("", line) for line in text.splitlines())
    return _SPACE.sub(" ", text).strip().casefold()


def fragments(quote: str) -> list[str]:
    """A clause's text split at the ` … ` marks that show where the source was cut."""
    return [f.strip() for f in _ELLIPSIS.split(f" {quote} ") if f.strip()]


@dataclass(frozen=True)
class SourceSentence:
    line: int
    text: str


def source_sentences(source: str) -> list[SourceSentence]:
    """The sentences of a seed that a complete pack must quote (five words or more)."""
    out = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip() or _TOC_LINE.search(line.rstrip()):
            continue
        cleaned = _BULLET.sub("", line.strip())
        for sentence in _SENTENCE_END.split(cleaned):
            if len(_WORD.findall(_LINK.sub(r"\1", sentence))) >= MIN_WORDS:
                out.append(SourceSentence(number, sentence.strip()))
    return out


def missing_fragments(quote: str, normalised_source: str) -> list[str]:
    return [f for f in fragments(quote) if normalise(f) not in normalised_source]


def unquoted_sentences(source: str, quotes: Iterable[str]) -> list[SourceSentence]:
    """Source sentences not covered by the quotes.

    A sentence is covered when every letter and digit of it lies inside some quoted fragment, so a
    sentence holding two rules may be quoted half by one clause and half by another.
    """
    text = normalise(source)
    covered = bytearray(len(text))
    for quote in quotes:
        for fragment in fragments(quote):
            needle = normalise(fragment)
            start = text.find(needle) if needle else -1
            while start != -1:
                covered[start : start + len(needle)] = b"\x01" * len(needle)
                start = text.find(needle, start + 1)
    out = []
    for sentence in source_sentences(source):
        needle = normalise(sentence.text)
        start = text.find(needle)
        quoted = False
        while start != -1 and not quoted:
            quoted = all(covered[i] or not text[i].isalnum() for i in range(start, start + len(needle)))
            start = text.find(needle, start + 1)
        if not quoted:
            out.append(sentence)
    return out
