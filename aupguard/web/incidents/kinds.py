"""The incident kinds as staff meet them: a name, a line saying when to choose it, and what its report
form asks for beyond "when" and "what happened".

The kind ids are the engine's contract (`aupguard.engine.catalogue.INCIDENT_KINDS`); every one of them
has an entry here, and a test keeps it so.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from aupguard.engine.catalogue import INCIDENT_KINDS

#: The fields a report form can add, as named on `Incident`.
KIND_FIELDS: Final = (
    "web_address",
    "action_taken",
    "device",
    "device_description",
    "device_stolen",
    "location",
    "personal_data",
)

#: Kinds that are, or often turn out to be, personal-data breaches: the DPL hears of every one.
POSSIBLE_BREACH_KINDS: Final = frozenset({"data_breach", "lost_or_stolen_device", "misdirected_email"})

#: Kinds the Designated Safeguarding Lead handles whatever the pack says (KCSIE: the DSL leads on
#: safeguarding, online bullying included).
SAFEGUARDING_KINDS: Final = frozenset({"safeguarding", "cyberbullying"})


@dataclass(frozen=True)
class KindInfo:
    label: str  # "lost or stolen device", lower case: it is used inside sentences
    title: str  # the report form's heading
    when: str  # one line on the choice page
    what_happened_help: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    warning: str = ""  # shown above the form

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


_KINDS = {
    "inappropriate_site_accessed": KindInfo(
        "inappropriate website opened",
        "Report an inappropriate website you opened by accident",
        "You opened a website by mistake that is not appropriate at school.",
        "What you were doing and how the site came up, for example a search result or a pop-up.",
        required=("web_address", "action_taken"),
    ),
    "phishing": KindInfo(
        "phishing email",
        "Report a suspicious or phishing email",
        "An email asked for your password or payment, or pretended to be someone it is not.",
        "Who it claimed to be from, its subject, and what it asked you to do.",
        required=("action_taken",),
    ),
    "lost_or_stolen_device": KindInfo(
        "lost or stolen device",
        "Report a lost or stolen device",
        "A school laptop, tablet, phone, USB drive or other device is lost or has been stolen.",
        "What happened, and anything that may help find it. If it was stolen, give the police "
        "crime reference if you have one.",
        required=("device_stolen", "location", "personal_data"),
        optional=("device", "device_description"),
    ),
    "data_breach": KindInfo(
        "personal data breach",
        "Report a personal data breach",
        "Personal information was lost, shared with the wrong person, seen by someone who should "
        "not see it, or changed or destroyed by mistake.",
        "What information it was, about whom (no names needed here), and how it happened.",
        optional=("action_taken",),
    ),
    "misdirected_email": KindInfo(
        "email sent to the wrong person",
        "Report an email sent to the wrong person",
        "You, or someone else, sent an email or attachment to the wrong recipient.",
        "Who it went to (the address is enough), what it contained, and when it was noticed.",
        required=("personal_data",),
        optional=("action_taken",),
    ),
    "security": KindInfo(
        "security concern",
        "Report a security concern",
        "Someone may know your password, someone tried to get round security or monitoring, or "
        "you saw something else that puts school systems at risk.",
        "What you noticed and when.",
        optional=("action_taken",),
    ),
    "malware": KindInfo(
        "virus or malware",
        "Report a virus or malware",
        "A computer or file may have a virus, ransomware or other malicious software.",
        "What you saw (a warning, strange files, a ransom message) and on which computer.",
        required=("action_taken",),
        optional=("device", "device_description"),
    ),
    "filtering_issue": KindInfo(
        "filtering problem",
        "Report a filtering problem",
        "A website that should be blocked is not, or one you need for your work is blocked.",
        "Whether the site should be blocked or allowed, and why.",
        required=("web_address",),
    ),
    "cyberbullying": KindInfo(
        "cyberbullying",
        "Report cyberbullying or online harassment",
        "Bullying or harassment online, of you, a colleague or a pupil.",
        "What happened, where (which app or site), and who was involved as far as you know.",
        warning="If a child may be at risk, tell the Designated Safeguarding Lead in person today as "
        "well: this report does not replace the school's safeguarding procedure.",
    ),
    "safeguarding": KindInfo(
        "online safeguarding concern",
        "Report an online safeguarding concern",
        "Something seen or received online makes you worried about a child's safety, or about an "
        "adult's conduct towards children.",
        "What you saw or were told, when, and who was involved. Record facts, not opinions.",
        warning="If a child is in immediate danger, call 999 and tell the Designated Safeguarding "
        "Lead now. This report does not replace the school's safeguarding procedure.",
    ),
    "misuse": KindInfo(
        "misuse of school systems",
        "Report misuse of school systems",
        "School computers, email or accounts used in a way the policy does not allow, including "
        "inappropriate material stored on school systems.",
        "What you saw, where, and when.",
    ),
    "damage_or_fault": KindInfo(
        "damage or fault",
        "Report damage or a fault",
        "Equipment or software is damaged, broken or not working, or files have gone missing.",
        "What is wrong and since when.",
        optional=("device", "device_description", "location"),
    ),
}

KINDS: Final[MappingProxyType[str, KindInfo]] = MappingProxyType(
    {kind: _KINDS[kind] for kind in INCIDENT_KINDS}
)
KIND_CHOICES: Final = [(kind, info.label) for kind, info in KINDS.items()]
