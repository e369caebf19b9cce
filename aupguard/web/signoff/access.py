"""Who may see sign-off and training records: every sign-off view reaches them through these lookups.

Everyone reads and signs their own policy, and sees and records their own training. The people who
keep a school's records (`people.access.RECORD_KEEPERS`: headteacher, DPL, HR, IT, leadership) see
that school's dashboard and campaigns and record training for its people; the same roles held
across the trust see every school and the central team. A record someone may not see is a 404,
never a 403: a 403 would say it exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from aupguard.web.org.models import Trust
from aupguard.web.people.access import RECORD_KEEPERS, person_for, person_of
from aupguard.web.people.models import Person
from aupguard.web.people.scope import RoleScope
from aupguard.web.signoff.models import Campaign

__all__ = [
    "Keeping",
    "campaign_for",
    "keeping",
    "keeping_of",
    "keeping_or_refuse",
    "me_or_refuse",
    "training_person_for",
    "visible_campaigns",
]

User = Account | AnonymousUser


class Keeping(RoleScope):
    """The schools whose sign-off and training records a person keeps (and the central team's, when
    they hold a keeper's role across the trust)."""

    @property
    def trust(self) -> Trust:
        if self.person is None:
            raise PermissionDenied("Your account is not linked to a person in the staff directory.")
        return self.person.trust

    def pack_ids(self) -> set[str]:
        """The packs the kept people sign."""
        if not self or self.person is None:
            return set()
        packs = {school.effective_pack_id for school in self.schools()}
        if self.trust_wide:
            packs.add(self.person.trust.pack_id)
        return packs


def keeping_of(me: Person | None) -> Keeping:
    return Keeping.of(me, RECORD_KEEPERS)


def keeping(user: User) -> Keeping:
    return keeping_of(person_of(user))


def me_or_refuse(user: User) -> Person:
    me = person_of(user)
    if me is None:
        raise PermissionDenied("Your account is not linked to a person in the staff directory.")
    return me


def keeping_or_refuse(user: User) -> Keeping:
    """For the pages only record keepers have (the dashboard, the campaigns): 403 for anyone else,
    since these pages exist for every school and say nothing by refusing."""
    kept = keeping_of(me_or_refuse(user))
    if not kept:
        raise PermissionDenied("Sign-off and training records are for headteachers, DPLs, HR and IT.")
    return kept


def training_person_for(user: User, person_id: int) -> Person:
    """A person whose training `user` may see and record: themselves, or someone in a school whose
    records they keep. 404 otherwise."""
    return person_for(user, person_id)


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    kept = keeping(user)
    if not kept or kept.person is None:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(trust_id=kept.person.trust_id, version__pack_id__in=kept.pack_ids())
        .select_related("trust", "version")
        .defer("version__source_yaml")
    )


def campaign_for(user: User, campaign_id: int) -> Campaign:
    try:
        return visible_campaigns(user).get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404("No such campaign") from None
