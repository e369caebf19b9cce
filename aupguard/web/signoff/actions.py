"""Every write to the sign-off and training registers goes through a `do_*` function here, each
with its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from aupguard.web.audit.log import record
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.models import Campaign, SignOff, Training
from aupguard.web.signoff.status import current_version


class DuplicateTraining(Exception):
    """The same course on the same day is already recorded for this person."""


def do_sign_policy(person: Person, version: PolicyVersion, typed_name: str, *, actor: User) -> SignOff:
    """Sign `version` as `person`; signing again (a lapsed signature) renews the same row."""
    with transaction.atomic():
        signoff, _ = SignOff.objects.update_or_create(
            person=person, version=version, defaults={"typed_name": typed_name, "signed_at": timezone.now()}
        )
        record(
            actor,
            "signoff.sign",
            "policy_version",
            version.pk,
            school=person.school,
            summary=f"{person.email} signed {version.pack_id} {version.version_code}",
            details={"sha256": version.sha256, "typed_name": signoff.typed_name},
        )
    return signoff


def do_record_training(
    person: Person,
    *,
    course: str,
    completed_on: dt.date,
    provider: str = "",
    evidence: str = "",
    actor: User,
) -> Training:
    """Record a completed cyber-security training for `person`, on `actor`'s word (the person, or
    someone who keeps their school's records). Raises DuplicateTraining for the same course twice
    on one day."""
    try:
        with transaction.atomic():
            training = Training.objects.create(
                person=person,
                course=course,
                completed_on=completed_on,
                provider=provider,
                evidence=evidence,
                recorded_by=actor,
            )
            own = person.user_id == actor.pk
            record(
                actor,
                "training.record",
                "training",
                training.pk,
                school=person.school,
                summary=f"{'own ' if own else ''}training recorded for {person.email}: "
                f"{course} on {completed_on:%Y-%m-%d}",
                details={
                    "person": person.pk,
                    "course": course,
                    "completed_on": completed_on.isoformat(),
                    "provider": provider,
                    "evidence": evidence,
                },
            )
    except IntegrityError:
        raise DuplicateTraining(f"{course} on {completed_on:%d %B %Y} is already recorded") from None
    return training


def trusts_following(pack_id: str) -> list[Trust]:
    """The trusts with people who sign `pack_id`: the trust's own pack, or a school's."""
    return list(Trust.objects.filter(Q(pack_id=pack_id) | Q(schools__pack_id=pack_id)).distinct())


def do_open_campaign(
    trust: Trust, version: PolicyVersion, *, actor: User | None = None
) -> tuple[Campaign, bool]:
    """The sign-off campaign for `version` in `trust`, opened if it is not already."""
    with transaction.atomic():
        campaign, created = Campaign.objects.get_or_create(trust=trust, version=version)
        if created:
            record(
                actor,
                "signoff.campaign_open",
                "campaign",
                campaign.pk,
                summary=f"sign-off campaign opened in {trust.name} for {version.pack_id} "
                f"{version.policy_version} ({version.version_code})",
                details={"sha256": version.sha256, "trust": trust.pk},
            )
    return campaign, created


def do_open_campaigns(version: PolicyVersion, *, actor: User | None = None) -> list[Campaign]:
    """On publishing `version`: a campaign in every trust whose people sign it (idempotent). None
    for a version that a newer one has superseded: nobody is asked to sign an old policy."""
    if current_version(version.pack_id) != version:
        return []
    return [do_open_campaign(trust, version, actor=actor)[0] for trust in trusts_following(version.pack_id)]
