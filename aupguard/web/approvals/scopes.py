"""What a request's scope means in each workflow, how the form asks for it, and how it is checked.

The guards match two kinds of scope (engine/approvals.py, `Approval.covers`): a site's domain for
`filtered_site_access` (the domain and its subdomains) and a mailbox address for the mailbox
workflows. Everything else is a description a person reads (the device and its purpose, the
mailing), which the guards cannot match: the snapshot leaves it empty, which the engine reads as
"the requester, in this workflow, for this period" (an approved `bulk_email` covers the sender's
messages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from aupguard.engine.web.hosts import is_ip_literal, normalise_host, split_url

__all__ = ["ScopeSpec", "clean_domain", "clean_mailbox", "scope_for"]

ScopeKind = Literal["domain", "mailbox", "text"]


@dataclass(frozen=True)
class ScopeSpec:
    kind: ScopeKind
    label: str
    help: str
    required: bool = True
    placeholder: str = ""

    @property
    def matched_by_guards(self) -> bool:
        return self.kind != "text"


_MAILBOX = ScopeSpec(
    "mailbox",
    "Mailbox address",
    "The address of the mailbox to be opened.",
    placeholder="name@school.sch.uk",
)

_SCOPES: dict[str, ScopeSpec] = {
    "filtered_site_access": ScopeSpec(
        "domain",
        "The site's domain",
        "The part of the address between https:// and the next /, such as www.example.org. The "
        "approval covers that domain and the sites under it, for you only.",
        placeholder="www.example.org",
    ),
    "mailbox_access": _MAILBOX,
    "absence_mailbox_access": _MAILBOX,
    "leaver_mailbox_access": _MAILBOX,
    "group_mailbox_access": ScopeSpec(
        "mailbox",
        "Group mailbox address",
        "The shared address you need to send and receive from, such as office@school.sch.uk.",
        placeholder="office@school.sch.uk",
    ),
    "removable_media": ScopeSpec(
        "text",
        "The device and what it will hold",
        "Make, size and asset tag or serial number, and the specific purpose: for example “Encrypted "
        "32 GB USB drive WPS-014: Year 4 assessment data for moderation”.",
    ),
    "software_install": ScopeSpec(
        "text",
        "Software and the device",
        "The program or app (with its publisher) and the computer it should go on.",
    ),
    "exemption": ScopeSpec(
        "text",
        "The rule you need an exemption from",
        "Its clause number if you know it (such as WLP-5.7), or the rule in your own words.",
    ),
    "bulk_email": ScopeSpec(
        "text",
        "Which mailing",
        "Who it goes to and what it is, such as “Spring newsletter to all Year 6 parents”. The "
        "approval covers the bulk messages you send in the period.",
        required=False,
    ),
    "large_attachment": ScopeSpec(
        "text",
        "Which files, to whom",
        "What you need to send and to whom. The approval covers your messages in the period.",
        required=False,
    ),
    "social_media_account_access": ScopeSpec(
        "text", "Which account", "The platform and the account's name, such as “Instagram @ashprimary”."
    ),
    "visitor_device": ScopeSpec(
        "text", "The visitor and the device", "Who is visiting, when, and the phone or device they bring."
    ),
    "paper_records_offsite": ScopeSpec(
        "text",
        "Which records, and where",
        "What records leave the school (no more than you need), where they go and how they are kept.",
    ),
    "personal_device_use": ScopeSpec(
        "text", "The device and its use", "Your own device (make and model) and what you will use it for."
    ),
    "data_to_personal_device": ScopeSpec(
        "text", "The data and the device", "What school data, and which of your own devices it would be on."
    ),
    "ai_tool": ScopeSpec("text", "The AI tool", "Its name and web address, and what you will use it for."),
    "learner_data_app": ScopeSpec(
        "text", "The app", "Its name and publisher, and what learner information it would store."
    ),
    "other_business_use": ScopeSpec(
        "text", "The other business", "What you would use the school's equipment or systems for."
    ),
    "sensitive_info_sharing": ScopeSpec(
        "text", "What is shared, with whom", "The information, who receives it and how it is sent."
    ),
    "medical_device_in_class": ScopeSpec(
        "text",
        "The device and the need",
        "The phone or device and the medical reason (no more detail than needed).",
    ),
}

_GENERIC = ScopeSpec("text", "What exactly", "What the approval should cover.")


def scope_for(workflow: str) -> ScopeSpec:
    return _SCOPES.get(workflow, _GENERIC)


# Suffixes under which anyone may register a name: approving one would open every site under it.
# The guard's own list is the pack's; these are the ones a UK school is likely to type.
_SHARED_SUFFIXES = frozenset(
    {
        "co.uk",
        "org.uk",
        "ac.uk",
        "gov.uk",
        "sch.uk",
        "nhs.uk",
        "net.uk",
        "ltd.uk",
        "plc.uk",
        "me.uk",
        "police.uk",
        "mod.uk",
        "com.au",
        "co.nz",
        "github.io",
        "blogspot.com",
        "herokuapp.com",
        "azurewebsites.net",
        "cloudfront.net",
        "wordpress.com",
        "sharepoint.com",
    }
)
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]{1,59}")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


def clean_domain(value: str) -> str:
    """A site's domain in the guards' normal form, from a domain or a pasted address; ValueError
    with a sentence for the person otherwise."""
    text = value.strip()
    if not text:
        raise ValueError("Give the site's domain, such as www.example.org.")
    try:
        host = normalise_host(split_url(text)[0])
    except ValueError:
        raise ValueError(f"“{text}” is not a web address or domain: give it as www.example.org.") from None
    if is_ip_literal(host):
        raise ValueError("Give the site's name, not a numeric (IP) address: the filter works by name.")
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253:
        raise ValueError(f"“{host}” is not a whole domain: it needs a name and an ending, as in example.org.")
    if not all(_LABEL.fullmatch(label) for label in labels) or not _TLD.fullmatch(labels[-1]):
        raise ValueError(
            f"“{host}” is not a valid domain: use letters, digits, hyphens and dots, as in www.example.org."
        )
    if host in _SHARED_SUFFIXES:
        raise ValueError(
            f"“{host}” is an ending many organisations share: give the one site's domain, "
            f"such as example.{host}."
        )
    return host


_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def clean_mailbox(value: str) -> str:
    address = value.strip().lower()
    if not _ADDRESS.fullmatch(address):
        raise ValueError("Give the mailbox's email address, such as office@school.sch.uk.")
    return address
