"""What the word detectors (names, lexicons) agree on about characters, and how they map offsets.

Both detectors turn a text into an ASCII *skeleton* that one Aho-Corasick automaton walks, then map
a hit back to the original text. They fold letters the same way, so a pupil's name and a sensitive
term written with the same accents are found alike; the tables live here once.
"""

from __future__ import annotations

from bisect import bisect_right

__all__ = [
    "APOSTROPHES",
    "COMMON_NON_ASCII",
    "DROPPED_CATEGORIES",
    "HYPHENS",
    "LETTER_VARIANTS",
    "OffsetMap",
]

#: Letters Unicode NFKD does not take apart, folded by hand (lower case).
LETTER_VARIANTS: dict[str, str] = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ı": "i",
    "ŀ": "l",
    "ŧ": "t",
    "ĸ": "k",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ð": "d",
}

#: Every mark people type for an apostrophe: all are "'" ("O’Neill" = "O'Neill").
APOSTROPHES = frozenset("'`´‘’‛′ʹʻʼʽ＇")

#: Every mark people (and Word's autocorrect) type for a hyphen or a dash.
HYPHENS = frozenset("-‐‑‒–—―−﹣－")

#: Combining marks (accents once NFKD has split them off) and invisible format characters (soft
#: hyphen, zero-width space): they fold to nothing.
DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})

#: The non-ASCII characters most common in school email (Outlook's curly quotes and dashes, the
#: pound sign, no-break spaces, the accented letters of names). A detector replaces each with its
#: one-character skeleton by str.replace, a C scan, before anything slower.
COMMON_NON_ASCII = "’‘“”–—£€•·°\u00a0\u202féèêëàáâäçñóòôöúùûüíìîïÉÈÀÇÖÜ"


class OffsetMap:
    """Maps an index in a skeleton back to the original text's index.

    Only characters whose skeleton is not exactly one character are listed: for the j-th, `at[j]` is
    where its skeleton starts, `stop[j]` where it ends, `orig[j]` its index in the text and `shift[j]`
    how far the skeleton has drifted from the text after it.
    """

    __slots__ = ("at", "drift", "orig", "shift", "stop")

    def __init__(self) -> None:
        self.at: list[int] = []
        self.stop: list[int] = []
        self.orig: list[int] = []
        self.shift: list[int] = []
        self.drift = 0

    def add(self, index: int, width: int) -> None:
        """Record that the text's character at `index` became `width` skeleton characters (not 1).

        Characters are added in the order of the text.
        """
        self.at.append(index + self.drift)
        self.stop.append(index + self.drift + width)
        self.orig.append(index)
        self.drift += width - 1
        self.shift.append(self.drift)

    def __bool__(self) -> bool:
        return bool(self.at)

    def original(self, k: int) -> int:
        """The index in the text of the character whose skeleton holds index `k`."""
        j = bisect_right(self.at, k) - 1
        if j < 0:
            return k
        if k < self.stop[j]:
            return self.orig[j]
        return k - self.shift[j]
