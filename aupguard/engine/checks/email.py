"""Every `email.*` check of DESIGN.md's catalogue, as pure functions of (pack, context, message).

`check_email` runs the checks the pack enables on one parsed message and returns a `Decision`. Each
check is a function that yields `(where, evidence)` pairs; the clause, the action and the roles to
notify come from the pack (`CompiledPack.rule`). What a check needs from the message (recipients
sorted into internal and external, identifiers, names and terms per part) is worked out once, on
first use, in `_Message`.

Definitions (DESIGN.md, "Definitions every check shares"):

- **internal** recipients are at the pack's `internal_domains` (or under them) or at a domain of the
  staff directory; every other recipient is **external**;
- a message is **encrypted** when it is S/MIME or PGP/MIME encrypted, or its subject carries one of
  the pack's `encrypt_tags`;
- **personal data** is a National Insurance number, an NHS number, a Unique Pupil Number (each
  validated), or a pupil or staff member named in the same part as a sensitive term (the subject
  and the body count as one part; each attachment is a part of its own).

Evidence is always redacted: identifiers as the detectors redact them, people as initials, addresses
with most of the local part masked, offensive words with all but the first letter masked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Decision, Finding
from aupguard.engine.detectors.domains import lookalike_of
from aupguard.engine.detectors.identifiers import (
    CARD_NUMBER,
    NHS_NUMBER,
    NI_NUMBER,
    UK_MOBILE,
    UPN,
    Match,
    find_identifiers,
    national_mobile,
)
from aupguard.engine.detectors.lexicon import TermMatch, find_terms
from aupguard.engine.detectors.names import NameMatch, find_names
from aupguard.engine.detectors.words import WordIndex, find_names_and_terms, word_index
from aupguard.engine.mail import Attachment, ParsedMessage

__all__ = ["EMAIL_CHECKS", "check_email", "mask_address"]

SUBJECT = "subject"
BODY = "body"
RECIPIENTS = "recipients"
SENDER = "sender"
MESSAGE = "message"

# Identifiers that are personal data on their own (a card number has its own check; a mobile number
# alone is a contact detail, see email.staff_personal_contact).
_PERSONAL_IDENTIFIERS = frozenset({NI_NUMBER, NHS_NUMBER, UPN})

# The lexicons of `CompiledPack.lexicons`, by their place in it.
_SENSITIVE, _OFFENSIVE, _CHAIN_LETTER, _CONFIDENTIAL = range(4)

# Findings of one check in one message, at most: enough to act on, short enough to read.
MAX_FINDINGS_PER_CHECK = 10

_MB = 1024 * 1024
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DISCLAIMER = re.compile(
    r"intended recipient|this e-?mail and any (?:files|attachments)|if you have received this e-?mail"
    r"|may contain (?:confidential|privileged)",
    re.IGNORECASE,
)


def mask_address(address: str) -> str:
    """An address with most of its local part masked: the first two characters of a long one, the
    first of a short one (jo@ shows as j***@)."""
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[: 2 if len(local) >= 6 else 1]}***@{domain}"


_SIGN_OFF = re.compile(
    r"^\s*(?:--\s*$|(?:kind(?:est)?|best|warm(?:est)?|many)?\s*(?:regards|wishes|thanks)\b|thank you\b"
    r"|yours\s+(?:sincerely|faithfully|truly)\b|cheers\b)",
    re.IGNORECASE | re.MULTILINE,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t>]*\n")


def _sign_off(body: str) -> int:
    """Where the body's sign-off starts ("Kind regards", "--"), when it is in the last 20 lines."""
    tail = max(0, len(body) - len("\n".join(body.splitlines()[-20:])) - 1)
    last = None
    for m in _SIGN_OFF.finditer(body, tail):
        last = m.start()
    return last if last is not None else len(body)


def _paragraph_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(text))]


def _paragraph(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def _mask_word(word: str) -> str:
    return word[:1] + "*" * max(len(word) - 1, 1)


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _under(domain: str, domains: Iterable[str]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in domains)


@dataclass(frozen=True, slots=True)
class _Part:
    where: str
    text: str


class _Message:
    """One message as the checks see it; every fact is computed once, when a check first asks."""

    def __init__(self, pack: CompiledPack, ctx: CheckContext, msg: ParsedMessage) -> None:
        self.pack = pack
        self.ctx = ctx
        self.msg = msg
        self._found: dict[str, tuple[list[NameMatch], tuple[list[TermMatch], ...]]] = {}

    # --- recipients ---------------------------------------------------------------------------

    @cached_property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.msg.to, *self.msg.cc, *self.msg.bcc)))

    def is_internal(self, address: str) -> bool:
        domain = _domain(address)
        return _under(domain, self.pack.internal_domains) or self.ctx.people.is_internal_domain(domain)

    @cached_property
    def external(self) -> tuple[str, ...]:
        return tuple(r for r in self.recipients if not self.is_internal(r))

    @cached_property
    def webmail_recipients(self) -> tuple[str, ...]:
        return tuple(r for r in self.external if _under(_domain(r), self.pack.webmail_domains))

    @cached_property
    def encrypted(self) -> bool:
        subject = self.msg.subject.lower()
        return self.msg.encrypted or any(tag in subject for tag in self.pack.encrypt_tags)

    # --- parts and what is in them ------------------------------------------------------------

    @cached_property
    def parts(self) -> tuple[_Part, ...]:
        parts = [_Part(SUBJECT, self.msg.subject), _Part(BODY, self.msg.body)]
        parts.extend(_Part(a.where, a.text) for a in self.msg.attachments if a.text)
        return tuple(parts)

    @cached_property
    def identifiers(self) -> dict[str, list[Match]]:
        return {p.where: find_identifiers(p.text) for p in self.parts}

    @cached_property
    def word_index(self) -> WordIndex:
        return word_index(self.ctx.people.names, self.pack.lexicons)

    def _words(self, text: str) -> tuple[list[NameMatch], tuple[list[TermMatch], ...]]:
        """The names and the terms of every lexicon in `text`: one walk, on first use, kept for
        the other checks."""
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = find_names_and_terms(self.word_index, text)
        return found

    @cached_property
    def names(self) -> dict[str, list[NameMatch]]:
        return {p.where: self._words(p.text)[0] for p in self.parts}

    def terms(self, text: str, lexicon: int) -> list[TermMatch]:
        """The terms of one of the pack's lexicons (`_SENSITIVE` ...) in `text`."""
        return self._words(text)[1][lexicon]

    def _sensitive(self, where: str) -> list[TermMatch]:
        """The sensitive terms of one part (found in the same walk as its names)."""
        return self.terms(next(p.text for p in self.parts if p.where == where), _SENSITIVE)

    def pupils_named(self, where: str) -> list[NameMatch]:
        return [m for m in self.names[where] if m.kind == "pupil"]

    @cached_property
    def personal_data(self) -> list[tuple[str, str]]:
        """(where, evidence) for every piece of personal data in the message."""
        found: list[tuple[str, str]] = []
        for where, matches in self.identifiers.items():
            found.extend((where, m.evidence) for m in matches if m.kind in _PERSONAL_IDENTIFIERS)
        found.extend(self.named_with_sensitive)
        return found

    @cached_property
    def named_with_sensitive(self) -> list[tuple[str, str]]:
        """(where, evidence) for each part where a person is named in the same paragraph as a
        sensitive term. The subject belongs to every paragraph of the body. The sender's own name
        and the body's sign-off (a DSL's or SENCo's signature, a safeguarding footer) do not count."""
        found: list[tuple[str, str]] = []
        texts = {p.where: p.text for p in self.parts}
        sender = self.msg.sender
        cut = _sign_off(self.msg.body)
        subject_people = [m for m in self.names[SUBJECT] if not (m.kind == "staff" and m.key == sender)]
        for where, text in texts.items():
            if where == SUBJECT:
                continue
            limit = cut if where == BODY else len(text)
            starts = _paragraph_starts(text)
            people = [
                (_paragraph(starts, m.start), m)
                for m in self.names[where]
                if m.start < limit and not (m.kind == "staff" and m.key == sender)
            ]
            if where == BODY:
                people += [(-1, m) for m in subject_people]
            if not people:
                continue  # no one named: the sensitive terms of this part need not be looked for
            terms = [
                (_paragraph(starts, t.start), text[t.start : t.end])
                for t in self._sensitive(where)
                if t.start < limit
            ]
            if where == BODY:
                subject = self.msg.subject
                terms += [(-1, subject[t.start : t.end]) for t in self._sensitive(SUBJECT)]
            for paragraph, person in people:
                written = next((w for p, w in terms if p in (paragraph, -1) or paragraph == -1), None)
                if written is not None:
                    found.append((where, f"{person.evidence} with {written!r}"))
                    break
        return found

    def shown(self, where: str) -> str:
        """`where` as a finding may show it: a pupil's or staff member's name in an attachment's
        file name ("Oliver Mensah EHCP.pdf") becomes their initials."""
        if not where.startswith("attachment:"):
            return where
        spans = {(n.start, n.end): n for n in find_names(self.ctx.people.names, where)}
        for n in sorted(spans.values(), key=lambda n: n.start, reverse=True):
            where = where[: n.start] + n.evidence + where[n.end :]
        return where

    @cached_property
    def readable_attachments(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.msg.attachments if a.text)


# --- the checks ----------------------------------------------------------------------------------

Hits = Iterator[tuple[str, str]]


def _card_number(m: _Message) -> Hits:
    if m.encrypted:
        return
    for where, matches in m.identifiers.items():
        for found in matches:
            if found.kind == CARD_NUMBER:
                yield where, found.evidence


def _personal_data_unencrypted(m: _Message) -> Hits:
    if m.encrypted or not m.external:
        return
    yield from m.personal_data


def _personal_webmail(m: _Message) -> Hits:
    if m.encrypted or not m.webmail_recipients or not m.personal_data:
        return
    shown = ", ".join(mask_address(r) for r in m.webmail_recipients[:3])
    for where, evidence in m.personal_data:
        yield where, f"{evidence} to {shown}"


def _name_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _own_personal_address(m: _Message) -> Hits:
    sender = m.msg.sender
    member = m.ctx.people.staff(sender)
    personal = member.personal_email if member else ""
    if member is not None:
        first, last = member.first_name, member.last_name
    else:
        first, _, last = m.msg.sender_name.strip().partition(" ")
        last = last.rpartition(" ")[2]
    first_key, last_key = _name_key(first), _name_key(last)
    for recipient in m.external:
        if personal and recipient == personal:
            yield RECIPIENTS, f"{mask_address(recipient)} is the sender's personal address in the directory"
            continue
        if recipient not in m.webmail_recipients or len(first_key) < 2 or len(last_key) < 2:
            continue
        local = _name_key(recipient.partition("@")[0])
        if first_key in local and last_key in local:
            yield RECIPIENTS, f"{mask_address(recipient)} is a webmail address in the sender's name"


def _pupil_name_in_subject(m: _Message) -> Hits:
    for found in m.pupils_named(SUBJECT):
        yield SUBJECT, found.evidence


def _full_names_in_body(m: _Message) -> Hits:
    for found in m.pupils_named(BODY):
        yield BODY, found.evidence


def _recipients_visible(m: _Message) -> Hits:
    visible = [r for r in dict.fromkeys((*m.msg.to, *m.msg.cc)) if r in m.external]
    if len(visible) < 2:
        return
    domains = {_domain(r) for r in visible}
    # Colleagues at one organisation already know each other's work addresses; parents at gmail
    # do not know each other's.
    if len(domains) == 1 and not _under(next(iter(domains)), m.pack.webmail_domains):
        return
    yield RECIPIENTS, f"{len(visible)} external recipients in To/Cc; use Bcc"


def _limit(m: _Message, check: str, param: str, setting: int | float | None) -> float | None:
    rule = m.pack.rule(check)
    value = rule.params.get(param) if rule else None
    if isinstance(value, int | float):
        return value
    return setting


def _bcc_over_limit(m: _Message) -> Hits:
    limit = _limit(m, "email.bcc_over_limit", "limit", m.pack.pack.settings.bcc_limit)
    if limit is not None and len(m.msg.bcc) > limit:
        yield RECIPIENTS, f"{len(m.msg.bcc)} Bcc recipients (limit {int(limit)})"


def _bulk_unauthorised(m: _Message) -> Hits:
    threshold = _limit(m, "email.bulk_unauthorised", "threshold", m.pack.pack.settings.bulk_threshold)
    if threshold is None or len(m.recipients) <= threshold:
        return
    if m.ctx.approvals.find("bulk_email", m.msg.sender, m.ctx.at) is None:
        yield (
            RECIPIENTS,
            f"{len(m.recipients)} recipients (bulk above {int(threshold)}), no approved bulk_email",
        )


def _large_attachment(m: _Message) -> Hits:
    limit = _limit(m, "email.large_attachment", "limit_mb", m.pack.pack.settings.attachment_limit_mb)
    if limit is None:
        return
    total = sum(a.size for a in m.msg.attachments if a.depth == 0)
    if m.msg.size > m.pack.mail_limits.max_message_bytes:
        # Only the start of the message was read, so the attachments were read in part: estimate
        # them from the message's own size (base64 carries 3 bytes in 4).
        total = max(total, m.msg.size * 3 // 4)
    if total <= limit * _MB:
        return
    if m.ctx.approvals.find("large_attachment", m.msg.sender, m.ctx.at) is None:
        yield "attachments", f"{total / _MB:.1f} MB of attachments (limit {limit:g} MB), no approved request"


def _evasive_attachment(m: _Message) -> Hits:
    for a in m.msg.attachments:
        if a.type_mismatch:
            yield a.where, f"named {a.filename!r} but is {a.real_type}"
        if a.encrypted and not m.encrypted:
            yield a.where, "password-protected outside the secure-mail route"


def _written_terms(m: _Message, lexicon: int) -> Iterator[tuple[str, str]]:
    """(where, the term as written) for each term of `lexicon` in the subject and the body."""
    for where, text in ((SUBJECT, m.msg.subject), (BODY, m.msg.body)):
        for t in m.terms(text, lexicon):
            yield where, text[t.start : t.end]


def _offensive_language(m: _Message) -> Hits:
    for where, written in _written_terms(m, _OFFENSIVE):
        yield where, _mask_word(written)


def _chain_letter(m: _Message) -> Hits:
    yield from _written_terms(m, _CHAIN_LETTER)


def _confidential_in_body(m: _Message) -> list[str]:
    """The confidential terms of the body, its disclaimer paragraphs left out.

    Without a disclaimer paragraph the body is read as it is: leaving nothing out would only have
    made each paragraph break two line breaks, which a term never tells apart from other spaces.
    """
    paragraphs = re.split(r"\n\s*\n", m.msg.body)
    kept = [p for p in paragraphs if not _DISCLAIMER.search(p)]
    if len(kept) == len(paragraphs):
        return [t.term for t in m.terms(m.msg.body, _CONFIDENTIAL)]
    return [t.term for t in find_terms(m.pack.confidential, "\n\n".join(kept))]


def _confidential_unmarked(m: _Message) -> Hits:
    marked = "CONFIDENTIAL" in m.msg.subject.upper()
    in_body = _confidential_in_body(m)
    if m.external:  # a DSL writing to a colleague about a pupil is not sending it out of school
        in_body += [e for w, e in m.named_with_sensitive if w == BODY]
    if in_body and not m.msg.encrypted:
        yield BODY, f"confidential content in the body ({in_body[0]}); attach it encrypted"
    if marked:
        return
    for a in m.readable_attachments:
        if m.terms(a.text, _CONFIDENTIAL):
            yield a.where, "confidential attachment; mark the subject CONFIDENTIAL"


def _auto_forward_external(m: _Message) -> Hits:
    if m.msg.auto_forwarded and m.external:
        yield RECIPIENTS, f"automatically forwarded to {mask_address(m.external[0])}"


def _generic_account_outbound(m: _Message) -> Hits:
    member = m.ctx.people.staff(m.msg.sender)
    if member is not None and member.account_kind == "generic_inbound":
        yield SENDER, f"{mask_address(m.msg.sender)} is a receive-only account"


def _group_account_unsigned(m: _Message) -> Hits:
    member = m.ctx.people.staff(m.msg.sender)
    if member is None or member.account_kind != "group":
        return
    signed = any(n.kind == "staff" for n in find_names(m.ctx.people.names, m.msg.signature_block))
    if not signed:
        yield SENDER, f"{mask_address(m.msg.sender)} is a group account; sign with your name"


def _misdirected(m: _Message) -> Hits:
    protected = m.pack.internal_domains | m.pack.partner_domains
    if m.ctx.people.directory is not None:
        protected = protected | m.ctx.people.directory.domains
    for recipient in m.external:
        imitated = lookalike_of(_domain(recipient), protected)
        if imitated is not None and not _under(_domain(recipient), m.pack.webmail_domains):
            yield RECIPIENTS, f"{_domain(recipient)} looks like {imitated}"
    roster = m.ctx.people.roster
    if roster is None:
        return
    named = {n.key: n.evidence for p in m.parts for n in m.names[p.where] if n.kind == "pupil"}
    if not named:
        return
    for recipient in m.external:
        contact_of = {p.upn for p in roster.pupils_with_contact(recipient)}
        if contact_of and not contact_of & named.keys():
            about = ", ".join(sorted(set(named.values())))
            yield RECIPIENTS, f"names {about} but {mask_address(recipient)} is another pupil's contact"


def _staff_personal_contact(m: _Message) -> Hits:
    directory = m.ctx.people.directory
    if directory is None or not m.external:
        return
    roster = m.ctx.people.roster
    # "Given to pupils or parents": with a roster, only when a recipient is a pupil's contact (a
    # teacher may give a course provider their number); without one, any outside recipient.
    if roster is not None and not any(roster.pupils_with_contact(r) for r in m.external):
        return
    emails = {s.personal_email: s for s in directory if s.personal_email}
    mobiles = {national_mobile(s.personal_mobile): s for s in directory if s.personal_mobile}
    for part in m.parts:
        if part.where == SUBJECT:
            continue
        if emails:
            for address in _ADDRESS.findall(part.text):
                if address.lower() in emails:
                    yield part.where, f"personal email {mask_address(address.lower())}"
        if mobiles:
            for found in m.identifiers[part.where]:
                if found.kind == UK_MOBILE and national_mobile(part.text[found.start : found.end]) in mobiles:
                    yield part.where, f"personal mobile {found.evidence}"


def _unscannable(m: _Message) -> Hits:
    for note in m.msg.notes:
        where, sep, rest = note.partition(": ")
        if sep and where.startswith("attachment:"):
            yield where, rest
        else:
            yield MESSAGE, note


EMAIL_CHECKS: dict[str, Callable[[_Message], Hits]] = {
    "email.card_number": _card_number,
    "email.personal_data_unencrypted": _personal_data_unencrypted,
    "email.personal_webmail": _personal_webmail,
    "email.own_personal_address": _own_personal_address,
    "email.pupil_name_in_subject": _pupil_name_in_subject,
    "email.full_names_in_body": _full_names_in_body,
    "email.recipients_visible": _recipients_visible,
    "email.bcc_over_limit": _bcc_over_limit,
    "email.bulk_unauthorised": _bulk_unauthorised,
    "email.large_attachment": _large_attachment,
    "email.evasive_attachment": _evasive_attachment,
    "email.offensive_language": _offensive_language,
    "email.confidential_unmarked": _confidential_unmarked,
    "email.auto_forward_external": _auto_forward_external,
    "email.generic_account_outbound": _generic_account_outbound,
    "email.group_account_unsigned": _group_account_unsigned,
    "email.misdirected": _misdirected,
    "email.chain_letter": _chain_letter,
    "email.staff_personal_contact": _staff_personal_contact,
    "email.unscannable": _unscannable,
}

UNSCANNABLE = "email.unscannable"


def check_email(pack: CompiledPack, ctx: CheckContext, msg: ParsedMessage) -> Decision:
    """Run every email check `pack` enables on `msg`; the decision lists what fired, in check order.

    `email.unscannable` fires whenever the message could not be read in full, whether or not a
    clause maps it: then with the pack's `unscannable_action` and no clause.
    """
    m = _Message(pack, ctx, msg)
    findings: list[Finding] = []
    for check, run in EMAIL_CHECKS.items():
        rule = pack.rule(check)
        if rule is None and check != UNSCANNABLE:
            continue
        seen: set[tuple[str, str]] = set()
        for found_where, evidence in run(m):
            where = m.shown(found_where)
            if (where, evidence) in seen:
                continue
            seen.add((where, evidence))
            if rule is None:
                findings.append(Finding(check, None, pack.pack.settings.unscannable_action, where, evidence))
            else:
                findings.append(Finding(check, rule.clause, rule.action, where, evidence, rule.notify))
            if len(seen) == MAX_FINDINGS_PER_CHECK:
                break
    return Decision(tuple(findings), pack.id, pack.sha256, msg.notes)
