"""Look-alike domains: a recipient domain one slip (or one trick) away from the school's own.

DESIGN.md, `email.misdirected`: "a recipient domain is a look-alike of the school's or a partner's
domain". Two ways a domain looks like another:

- it reads the same once confusable characters are folded: Unicode look-alikes in an IDN
  (``wеlls.sch.uk`` with a Cyrillic е, sent as ``xn--...``), digits for letters (0 for o, 1 for l),
  and letter pairs that render alike in most fonts (rn for m, vv for w, cl for d);
- it is within a small edit distance (a typo: a letter missing, added, changed or two swapped):
  one edit for a domain of up to twelve characters, two for a longer one.

A domain equal to a protected one, or under it (``mail.school.sch.uk``), is the school's own and is
never a look-alike.
"""

from __future__ import annotations

import unicodedata

__all__ = ["lookalike_of", "skeleton"]

# Characters that render like an ASCII letter or digit, folded to what they imitate. Cyrillic and
# Greek look-alikes are the ones registrars see most in phishing domains.
_CONFUSABLE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "l",
        "ј": "j",
        "ԁ": "d",
        "ӏ": "l",
        "α": "a",
        "ο": "o",
        "ν": "v",
        "ρ": "p",
        "ι": "l",
    }
)
_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def _unicode(domain: str) -> str:
    return ".".join(map(_decoded_label, domain.lower().rstrip(".").split(".")))


def _decoded_label(label: str) -> str:
    """An IDN label as the Unicode it stands for (``xn--wlls-v4d`` is ``wеlls``); others as they are."""
    if label.startswith("xn--"):
        try:
            return label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return label
    return label


def skeleton(domain: str) -> str:
    """`domain` with confusable characters and letter pairs folded to what they imitate."""
    text = unicodedata.normalize("NFKC", _unicode(domain)).translate(_CONFUSABLE)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for pair, letter in _PAIRS:
        text = text.replace(pair, letter)
    return text.replace("-", "")


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein without repeated edits), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _own(domain: str, protected: str) -> bool:
    return domain == protected or domain.endswith("." + protected)


def lookalike_of(domain: str, protected: frozenset[str] | set[str]) -> str | None:
    """The protected domain that `domain` imitates, or None (also when `domain` is one of them)."""
    domain = domain.lower().rstrip(".")
    if any(_own(domain, p) for p in protected):
        return None
    shape = skeleton(domain)
    for p in sorted(protected):
        if shape == skeleton(p):
            return p
        limit = 1 if len(p) <= 12 else 2
        if _distance(domain, p, limit) <= limit:
            return p
    return None
