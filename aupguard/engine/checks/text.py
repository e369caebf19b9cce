"""`ai.personal_data`: personal data in text about to be sent to an AI tool (DESIGN.md; seeds 001, 003).

What counts, in text a member of staff pastes into a chatbot:

- any pupil's or staff member's full name from the roster or directory (a name is personal data;
  initials are what the policies ask for);
- any validated identifier: National Insurance, NHS and Unique Pupil Numbers, payment cards and UK
  mobile numbers;
- a sensitive term (safeguarding, SEN/EHCP, medical ...) is reported with the name it is about, so
  the user sees why the text is special-category data.
"""

from __future__ import annotations

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Decision, Finding
from aupguard.engine.detectors.identifiers import find_identifiers
from aupguard.engine.detectors.words import find_names_and_terms, word_index

__all__ = ["AI_PERSONAL_DATA", "check_ai_text"]

AI_PERSONAL_DATA = "ai.personal_data"
WHERE = "text"
_MAX_FINDINGS = 10


def check_ai_text(pack: CompiledPack, ctx: CheckContext, text: str) -> Decision:
    """The decision for `text` on its way to an AI tool; no findings when the pack has no such rule."""
    rule = pack.rule(AI_PERSONAL_DATA)
    if rule is None:
        return Decision((), pack.id, pack.sha256)
    evidence: list[str] = [m.evidence for m in find_identifiers(text)]
    # Names and the sensitive terms (the first of the pack's lexicons) in one walk of the text.
    names, terms_of_each = find_names_and_terms(word_index(ctx.people.names, pack.lexicons), text)
    if names:
        terms = terms_of_each[0]
        about = f" with {text[terms[0].start : terms[0].end]!r}" if terms else ""
        evidence.extend(f"{n.kind} {n.evidence}{about}" for n in names)
    unique = list(dict.fromkeys(evidence))[:_MAX_FINDINGS]
    findings = tuple(
        Finding(AI_PERSONAL_DATA, rule.clause, rule.action, WHERE, e, rule.notify) for e in unique
    )
    return Decision(findings, pack.id, pack.sha256)
