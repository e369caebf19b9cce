"""Compare two packs clause by clause: two versions of one policy, or two schools' policies.

Versions of one pack share clause ids, so clauses pair by id. Two different packs (a trust merging
schools) number their clauses differently, so what is left unpaired is paired by the similarity of
the quoted text: the question is "which of our rules differ?", not "which ids differ?".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from aupguard.engine.packs.export import clause_as_dict, enforcement, pack_as_dict
from aupguard.engine.packs.model import Clause, Pack
from aupguard.engine.packs.quotes import normalise

# Below this the two quotes say different things: report a removal and an addition instead.
SIMILAR_ENOUGH = 0.6


@dataclass
class PackDiff:
    a: Pack
    b: Pack
    metadata: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    settings: list[dict[str, Any]] = field(default_factory=list)
    authorities: list[dict[str, Any]] = field(default_factory=list)
    added: list[Clause] = field(default_factory=list)
    removed: list[Clause] = field(default_factory=list)
    changed: list[tuple[Clause, Clause, list[dict[str, Any]]]] = field(default_factory=list)
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": {"id": self.a.id, "sha256": self.a.sha256},
            "b": {"id": self.b.id, "sha256": self.b.sha256},
            "metadata": self.metadata,
            "roles": self.roles,
            "settings": self.settings,
            "authorities": self.authorities,
            "clauses": {
                "added": [clause_as_dict(c) for c in self.added],
                "removed": [clause_as_dict(c) for c in self.removed],
                "changed": [{"a": ca.id, "b": cb.id, "changes": changes} for ca, cb, changes in self.changed],
                "unchanged": self.unchanged,
            },
        }


def _compare(a: dict[str, Any], b: dict[str, Any], key_name: str) -> list[dict[str, Any]]:
    keys = dict.fromkeys([*a, *b])  # a's order, then what only b has
    return [{key_name: key, "a": a.get(key), "b": b.get(key)} for key in keys if a.get(key) != b.get(key)]


def diff_packs(a: Pack, b: Pack) -> PackDiff:
    da, db = pack_as_dict(a), pack_as_dict(b)
    result = PackDiff(a, b)
    meta = ("organisation", "title", "policy_version", "approved_by", "dates")
    result.metadata = _compare({k: da[k] for k in meta}, {k: db[k] for k in meta}, "field")
    result.roles = _compare(da["roles"], db["roles"], "role")
    result.settings = _compare(da["settings"], db["settings"], "setting")
    result.authorities = _compare(da["authorities"], db["authorities"], "authority")

    pairs = _pair_clauses(a.clauses, b.clauses)
    paired_a = {id(ca) for ca, _ in pairs}
    paired_b = {id(cb) for _, cb in pairs}
    result.removed = [c for c in a.clauses if id(c) not in paired_a]
    result.added = [c for c in b.clauses if id(c) not in paired_b]
    for ca, cb in pairs:
        changes = _clause_changes(ca, cb)
        if changes:
            result.changed.append((ca, cb, changes))
        else:
            result.unchanged += 1
    return result


def _clause_changes(a: Clause, b: Clause) -> list[dict[str, Any]]:
    changes = []
    if normalise(a.text) != normalise(b.text):
        changes.append({"field": "text", "a": a.text, "b": b.text})
    if a.section != b.section and normalise(a.section) != normalise(b.section):
        changes.append({"field": "section", "a": a.section, "b": b.section})
    changes.extend(_compare(enforcement(a), enforcement(b), "field"))
    return changes


def _pair_clauses(a: tuple[Clause, ...], b: tuple[Clause, ...]) -> list[tuple[Clause, Clause]]:
    by_id = {c.id: c for c in b}
    pairs = [(ca, by_id[ca.id]) for ca in a if ca.id in by_id]
    left = [ca for ca in a if ca.id not in by_id]
    taken = {cb.id for _, cb in pairs}
    right = [cb for cb in b if cb.id not in taken]
    if not left or not right:
        return pairs

    # Compared word by word: as telling as characters for prose, and far cheaper.
    texts_a = [normalise(c.text).split() for c in left]
    scored = []
    # SequenceMatcher indexes its second sequence once, so that is the one held fixed.
    matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(None, autojunk=False)
    for j, cb in enumerate(right):
        matcher.set_seq2(normalise(cb.text).split())
        for i, text_a in enumerate(texts_a):
            matcher.set_seq1(text_a)
            if matcher.real_quick_ratio() < SIMILAR_ENOUGH or matcher.quick_ratio() < SIMILAR_ENOUGH:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR_ENOUGH:
                # Prefer the better match; between equals, the one nearer in source order.
                scored.append((-ratio, abs(i / len(left) - j / len(right)), i, j))
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((left[i], right[j]))
    order = {id(c): n for n, c in enumerate(a)}
    return sorted(pairs, key=lambda p: order[id(p[0])])
