"""A pack compiled once for the guards: which clause each check enforces, and the lexicons it needs.

DESIGN.md: "The engine compiles a pack once into an immutable, fast object; every check is a pure
function of (compiled pack, context, input)." Compiling is the slow step (lexicon automata); a guard
does it when it starts and again only when the pack changes.

Several clauses may enable the same check (five clauses of wonder enable email.offensive_language).
A finding names one: the clause with the strongest action, the first in source order among equals,
so a message is never reported five times for one word. Its parameters and the roles it notifies
are that clause's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from aupguard.engine.catalogue import ACTIONS
from aupguard.engine.detectors.lexicon import Lexicon, LexiconSet, builtin_lexicon, compile_lexicon_set
from aupguard.engine.mail.limits import DEFAULT_LIMITS, Limits
from aupguard.engine.packs.load import LISTS_FOLDER
from aupguard.engine.packs.model import Pack, ParamValue
from aupguard.engine.web.lists import DomainList, domain_list, read_list

__all__ = ["CompiledPack", "Rule", "compile_pack", "strongest_rule"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A check as one clause of the pack enables it."""

    check: str
    clause: str
    action: str
    params: Mapping[str, ParamValue]
    notify: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True, eq=False)
class CompiledPack:
    pack: Pack
    rules: Mapping[str, Rule]
    internal_domains: frozenset[str]
    partner_domains: frozenset[str]
    webmail_domains: frozenset[str]
    encrypt_tags: tuple[str, ...]  # lower case
    sensitive: Lexicon
    offensive: Lexicon
    chain_letter: Lexicon
    confidential: Lexicon
    mail_limits: Limits
    # Every clause enabling each check, in source order (web.blocked_category differs per clause).
    all_rules: Mapping[str, tuple[Rule, ...]]
    allowed: DomainList
    blocked: DomainList
    illegal: DomainList
    approved_ai: DomainList
    clause_texts: Mapping[str, str]
    # The four lexicons above, in that order, in one automaton: one walk of a text finds all of them.
    lexicons: LexiconSet

    @property
    def id(self) -> str:
        return self.pack.id

    @property
    def sha256(self) -> str:
        return self.pack.sha256

    def rule(self, check: str) -> Rule | None:
        return self.rules.get(check)

    def enables(self, check: str) -> bool:
        return check in self.rules

    def clause_text(self, clause_id: str) -> str:
        """The clause's words; "" for an id this version of the pack no longer has (a message held
        under an older version and released under this one)."""
        return self.clause_texts.get(clause_id, "")


def _all_rules(pack: Pack) -> dict[str, tuple[Rule, ...]]:
    rules: dict[str, list[Rule]] = {}
    for clause in pack.clauses:
        for use in clause.checks:
            rule = Rule(use.id, clause.id, use.action, use.params, use.notify, clause.text)
            rules.setdefault(use.id, []).append(rule)
    return {check: tuple(found) for check, found in rules.items()}


def strongest_rule(rules: Iterable[Rule]) -> Rule | None:
    """The rule with the strongest action; the first in source order among equals."""
    best: Rule | None = None
    for rule in rules:
        if best is None or ACTIONS.index(rule.action) < ACTIONS.index(best.action):
            best = rule
    return best


def _lists(pack: Pack, names: Iterable[str], extra: Iterable[str], name: str) -> DomainList:
    folder = pack.path.parent / LISTS_FOLDER
    entries = list(extra)
    for list_name in names:
        listed = read_list(folder / f"{list_name}.txt")
        entries.extend(listed.domains)
        entries.extend(f"{host}{path}" for host, paths in listed.prefixes.items() for path in paths)
    return domain_list(name, entries)


def compile_pack(pack: Pack) -> CompiledPack:
    """Compile `pack` for the guards. Pure: the same pack always gives an equal result."""
    s = pack.settings
    all_rules = _all_rules(pack)
    rules = {check: strongest_rule(found) for check, found in all_rules.items()}
    sensitive = builtin_lexicon("sensitive", s.sensitive_terms)
    offensive = builtin_lexicon("offensive", s.offensive_terms)
    chain_letter = builtin_lexicon("chain_letter")
    confidential = builtin_lexicon("confidential")
    return CompiledPack(
        pack=pack,
        rules=MappingProxyType({check: rule for check, rule in rules.items() if rule is not None}),
        internal_domains=frozenset(d.lower() for d in s.internal_domains),
        partner_domains=frozenset(d.lower() for d in s.partner_domains),
        webmail_domains=frozenset(d.lower() for d in s.webmail_domains),
        encrypt_tags=tuple(t.lower() for t in s.encrypt_tags),
        sensitive=sensitive,
        offensive=offensive,
        chain_letter=chain_letter,
        confidential=confidential,
        mail_limits=replace(DEFAULT_LIMITS, **s.mail_limits),
        all_rules=MappingProxyType(all_rules),
        allowed=_lists(pack, s.allowed_lists, s.allowed_domains, "allowed"),
        blocked=domain_list("blocked", s.blocked_domains),
        illegal=_lists(pack, s.illegal_content_lists, (), "illegal"),
        approved_ai=domain_list("approved_ai_tools", s.approved_ai_tools),
        clause_texts=MappingProxyType({c.id: c.text for c in pack.clauses}),
        lexicons=compile_lexicon_set((sensitive, offensive, chain_letter, confidential)),
    )
