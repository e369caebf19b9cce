"""The workflows a person's policy enables: which clause each comes from, who decides, what it needs.

A pack gives each workflow one approving role (docs/pack-format.md) and may name it in several
clauses (wells: removable media in RB-6.2.1 and RB-6.2.2); a request is made under the clause that
carries the workflow's requirements, the first of them otherwise, and the request page shows them
all. A workflow is open to a person when one of its clauses applies to one of their roles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from aupguard.engine.catalogue import WORKFLOW_REQUIREMENTS
from aupguard.engine.packs import Clause, Pack
from aupguard.web.approvals.scopes import ScopeSpec, scope_for
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.access import roles_in
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.status import current_version, pack_id_of

__all__ = [
    "ABOUT_SOMEONE",
    "FALLBACKS",
    "MAX_PERIOD_DAYS",
    "Enabled",
    "Workflow",
    "day_start",
    "enabled_for",
    "label_of",
    "period_days",
    "workflows_of",
    "zone_of",
]

#: What each workflow is called where a person chooses it.
LABELS: dict[str, str] = {
    "exemption": "An exemption from part of the policy",
    "removable_media": "Use removable media (a USB drive or memory card)",
    "software_install": "Install software or an app",
    "mailbox_access": "Open another person's mailbox",
    "absence_mailbox_access": "Open an absent colleague's mailbox",
    "leaver_mailbox_access": "Open a leaver's mailbox",
    "group_mailbox_access": "Use a group mailbox",
    "social_media_account_access": "Use a school social media account",
    "filtered_site_access": "Reach a site the filter blocks",
    "visitor_device": "A visitor's phone or device on site",
    "paper_records_offsite": "Take paper records off site",
    "personal_device_use": "Use your own device for school work",
    "data_to_personal_device": "Save school data on your own device",
    "ai_tool": "Use an AI tool",
    "learner_data_app": "Use an app that stores learner data",
    "bulk_email": "Send bulk email",
    "large_attachment": "Send large email attachments",
    "other_business_use": "Use school equipment for other business",
    "sensitive_info_sharing": "Share sensitive or confidential information",
    "medical_device_in_class": "Keep a phone or device in class for a medical need",
}

#: How long an approval lasts unless the requester asks otherwise (the approver can shorten it).
DEFAULT_DAYS: dict[str, int] = {
    "bulk_email": 7,
    "large_attachment": 7,
    "visitor_device": 1,
    "filtered_site_access": 30,
    "mailbox_access": 14,
    "absence_mailbox_access": 14,
    "leaver_mailbox_access": 30,
    "paper_records_offsite": 30,
}
DEFAULT_PERIOD_DAYS = 90
#: No approval outlives a year: a standing need is asked for again, and looked at again, each year.
MAX_PERIOD_DAYS = 366

#: A pack without the workflow asked for may have a broader one that covers it: wells has no leaver
#: or absence workflow, and its `mailbox_access` (RB-5.26) covers any other person's mailbox.
FALLBACKS: dict[str, str] = {
    "leaver_mailbox_access": "mailbox_access",
    "absence_mailbox_access": "mailbox_access",
}

#: Workflows about another person: the form asks whose.
ABOUT_SOMEONE = frozenset({"mailbox_access", "absence_mailbox_access", "leaver_mailbox_access"})


def label_of(workflow: str) -> str:
    return LABELS.get(workflow, workflow.replace("_", " "))


def period_days(workflow: str) -> int:
    return DEFAULT_DAYS.get(workflow, DEFAULT_PERIOD_DAYS)


@dataclass(frozen=True)
class Workflow:
    id: str
    clauses: tuple[Clause, ...]  # every clause naming it, in the pack's order
    approver: str  # the role key that decides
    approver_words: str  # the pack's own words for that role
    requires: tuple[str, ...]  # from WORKFLOW_REQUIREMENTS, in that order

    @property
    def label(self) -> str:
        return label_of(self.id)

    @property
    def clause(self) -> Clause:
        """The clause a request is made under: the one that carries the requirements, else the first."""
        return max(self.clauses, key=lambda c: len(c.workflow.requires) if c.workflow else 0)

    @property
    def scope(self) -> ScopeSpec:
        return scope_for(self.id)

    @property
    def about_someone(self) -> bool:
        return self.id in ABOUT_SOMEONE

    @property
    def needs_risk_assessment(self) -> bool:
        return "risk_assessment" in self.requires

    @property
    def needs_dpia(self) -> bool:
        return "dpia" in self.requires

    @property
    def needs_written_request(self) -> bool:
        return "written_request" in self.requires

    @property
    def default_days(self) -> int:
        return period_days(self.id)

    def open_to(self, roles: set[str]) -> bool:
        applies = {role for c in self.clauses for role in c.applies_to}
        return "all" in applies or bool(applies & roles)


def workflows_of(pack: Pack) -> dict[str, Workflow]:
    """Every workflow the pack enables, in the order the pack first names them."""
    clauses: dict[str, list[Clause]] = {}
    for c in pack.clauses:
        if c.workflow is not None:
            clauses.setdefault(c.workflow.id, []).append(c)
    found: dict[str, Workflow] = {}
    for workflow_id, named in clauses.items():
        first = named[0].workflow
        assert first is not None  # noqa: S101 - grouped on it just above
        needed = {r for c in named if c.workflow for r in c.workflow.requires}
        found[workflow_id] = Workflow(
            id=workflow_id,
            clauses=tuple(named),
            approver=first.approver,
            approver_words=pack.roles.get(first.approver, first.approver.replace("_", " ")),
            requires=tuple(r for r in WORKFLOW_REQUIREMENTS if r in needed),
        )
    return found


@dataclass(frozen=True)
class Enabled:
    """What a person may ask for under the policy they follow now."""

    version: PolicyVersion | None
    workflows: dict[str, Workflow]
    zone: ZoneInfo


def enabled_for(person: Person) -> Enabled:
    version = current_version(pack_id_of(person))
    if version is None:
        return Enabled(None, {}, ZoneInfo(settings.TIME_ZONE))
    pack = pack_for(version)
    # Someone the directory lists with no role is staff for the policy's purposes.
    roles = roles_in(person, person.school) or {"staff"}
    open_ = {k: w for k, w in workflows_of(pack).items() if w.open_to(roles)}
    return Enabled(version, open_, ZoneInfo(pack.settings.time_zone))


def zone_of(version: PolicyVersion) -> ZoneInfo:
    """The time zone a version's dates are in (a date on a request is a day at the school)."""
    return ZoneInfo(pack_for(version).settings.time_zone)


def day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)
