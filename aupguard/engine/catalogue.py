"""The vocabularies packs are validated against: check ids, workflows, registers, roles, categories.

Check ids, workflow ids, register ids and category names are contracts (DESIGN.md): add new ones,
never rename or reuse one. `docs/checks.md` lists the same check ids and a test keeps them equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

MECHANISMS: Final = ("check", "workflow", "register", "attestation", "information")

# Strongest first: a decision's verdict is the strongest action among its findings.
ACTIONS: Final = ("block", "hold", "warn", "alert", "log")

ROLES: Final = (
    "staff",
    "volunteer",
    "contractor",
    "governor",
    "trustee",
    "visitor",
    "line_manager",
    "senior_leader",
    "headteacher",
    "ceo",
    "dpl",
    "dsl",
    "coo",
    "siro",
    "iao",
    "it_support",
    "network_manager",
    "estates",
    "hr",
)

# `all` stands for every role wherever a clause or a setting takes a list of roles.
ALL_ROLES: Final = "all"

# "int" is a positive whole number; "days" may be 0 (on the day itself, no grace).
ParamType = Literal["int", "days", "number", "categories", "roles"]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    fires_when: str
    params: MappingProxyType[str, ParamType]


def _spec(check_id: str, fires_when: str, **params: ParamType) -> CheckSpec:
    return CheckSpec(check_id, fires_when, MappingProxyType(params))


_CHECKS = (
    _spec("email.card_number", "a payment card number is in a message that is not encrypted"),
    _spec(
        "email.personal_data_unencrypted",
        "personal data goes to an external recipient unencrypted",
    ),
    _spec("email.personal_webmail", "personal data goes unencrypted to a consumer webmail domain"),
    _spec(
        "email.own_personal_address",
        "a staff member sends school information to their own personal address",
    ),
    _spec("email.pupil_name_in_subject", "a pupil's full name from the roster is in the subject"),
    _spec("email.full_names_in_body", "full pupil names in the body where the pack asks for initials"),
    _spec(
        "email.recipients_visible",
        "more than one external recipient is in To/Cc instead of Bcc",
    ),
    _spec("email.bcc_over_limit", "more Bcc recipients than the pack's limit", limit="int"),
    _spec(
        "email.bulk_unauthorised",
        "more recipients than the bulk threshold with no approved bulk_email request",
        threshold="int",
    ),
    _spec(
        "email.large_attachment",
        "attachments over the size limit with no approved large_attachment request",
        limit_mb="number",
    ),
    _spec(
        "email.evasive_attachment",
        "an attachment whose real type contradicts its name, or password-protected outside the "
        "approved encryption route",
    ),
    _spec("email.offensive_language", "profanity, slurs or harassment in subject or body"),
    _spec(
        "email.confidential_unmarked",
        "confidential content without CONFIDENTIAL in the subject, or in the body",
    ),
    _spec("email.auto_forward_external", "a message automatically forwarded to an external address"),
    _spec("email.generic_account_outbound", "outbound mail from a receive-only generic account"),
    _spec("email.group_account_unsigned", "mail from a group account not signed with a person's name"),
    _spec(
        "email.misdirected",
        "a named pupil's details go to another pupil's contact, or to a look-alike domain",
    ),
    _spec("email.chain_letter", "chain or joke forwards"),
    _spec(
        "email.staff_personal_contact",
        "a staff member's personal email or mobile number is given to pupils or parents",
    ),
    _spec(
        "email.unscannable",
        "part of a message could not be read in full (a limit reached, an unreadable attachment)",
    ),
    _spec(
        "web.blocked_category",
        "a request falls in a category the pack forbids for the requester's role",
        categories="categories",
        roles="roles",
    ),
    _spec("web.filter_bypass", "a request to a proxy, anonymiser, VPN or remote-access service"),
    _spec(
        "web.social_media_working_hours",
        "personal social media during the pack's working hours",
        categories="categories",
    ),
    _spec("web.unapproved_ai", "an AI service that is not on the school's approved list"),
    _spec("web.illegal_content", "a request on an illegal-content list"),
    _spec(
        "web.heavy_streaming",
        "streaming or media downloads above the pack's volume limit",
        limit_mb_per_day="number",
    ),
    _spec("ai.personal_data", "personal data in text sent to an AI tool"),
    _spec("access.after_leaving", "a sign-in after the account owner's leaving date"),
    _spec(
        "account.not_disabled",
        "a leaver's account still enabled after their last working day",
        grace_days="days",
    ),
    _spec("asset.not_returned", "a leaver still holds issued assets after leaving"),
    _spec(
        "mailbox.access_unapproved",
        "someone opened another person's mailbox with no approved request covering it",
    ),
    _spec("attestation.overdue", "annual sign-off not done in time", interval_days="int"),
    _spec("training.overdue", "cyber-security training not done in time", interval_days="int"),
    _spec("policy.review_overdue", "a policy version past its review date"),
    _spec(
        "breach.ico_deadline",
        "a personal-data breach not assessed or reported within the deadline after discovery",
        hours="int",
    ),
)

CHECKS: Final[MappingProxyType[str, CheckSpec]] = MappingProxyType({c.id: c for c in _CHECKS})

WORKFLOWS: Final = (
    "exemption",
    "removable_media",
    "software_install",
    "mailbox_access",
    "absence_mailbox_access",
    "leaver_mailbox_access",
    "group_mailbox_access",
    "social_media_account_access",
    "filtered_site_access",
    "visitor_device",
    "paper_records_offsite",
    "personal_device_use",
    "data_to_personal_device",
    "ai_tool",
    "learner_data_app",
    "bulk_email",
    "large_attachment",
    "other_business_use",
    "sensitive_info_sharing",
    "medical_device_in_class",
)

WORKFLOW_REQUIREMENTS: Final = ("risk_assessment", "dpia", "written_request")

REGISTERS: Final = (
    "incident",
    "asset",
    "person",
    "attestation",
    "training",
    "policy_version",
    "monitoring_access",
)

INCIDENT_KINDS: Final = (
    "inappropriate_site_accessed",
    "security",
    "phishing",
    "malware",
    "lost_or_stolen_device",
    "data_breach",
    "misdirected_email",
    "cyberbullying",
    "misuse",
    "filtering_issue",
    "damage_or_fault",
    "safeguarding",
)

# aupguard's own web categories; the UT1 lists are mapped onto these.
CATEGORIES: Final = (
    "adult",
    "gambling",
    "social_networking",
    "chat",
    "dating",
    "games",
    "streaming",
    "downloads",
    "piracy",
    "filter_bypass",
    "hacking",
    "malware",
    "phishing",
    "drugs",
    "violence",
    "extremism",
    "discrimination",
    "self_harm",
    "weapons",
    "shopping",
    "webmail",
    "ai",
    "blogs",
    "forums",
    "news",
    "sport",
    "jobsearch",
    "banking",
    "financial",
    "astrology",
    "sects",
    "lingerie",
    "advertising",
    "url_shorteners",
    "file_hosting",
    "translation",
    "web_hosting",
    "celebrity",
    "illegal",
)

PERSONAL_DEVICE_RULES: Final = ("forbidden", "allowed_with_conditions", "allowed")

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
