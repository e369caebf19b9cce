"""Who may see and change the asset register: every devices view reaches records through these lookups.

The register is kept by a school's IT team and its headteacher (seed 000 returns devices to the Head
Teacher; seed 001 to IT Support): `it_support`, `network_manager` and `headteacher` keep their
school's devices, and the same roles held across the trust keep every device in the trust, the
central team's included. Anyone else sees only the devices they hold, on their own devices page.
A keeper who has left keeps nothing. A record someone may not see is a 404, never a 403: a 403
would say it exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aupguard.web.devices.models import Device
from aupguard.web.people.access import person_of, visible_people
from aupguard.web.people.models import Person
from aupguard.web.people.scope import RoleScope

__all__ = [
    "KEEPER_ROLES",
    "Keeping",
    "device_for",
    "devices_person_for",
    "issuable_people",
    "keeping_of",
    "receivers_for",
    "visible_devices",
]

#: Roles that keep the asset register.
KEEPER_ROLES = ("it_support", "network_manager", "headteacher")

User = Account | AnonymousUser


class Keeping(RoleScope):
    """The part of the register a person keeps: the whole trust, some schools, or nothing."""

    def devices(self) -> QuerySet[Device]:
        if not self or self.person is None:
            return Device.objects.none()
        mine = Device.objects.filter(trust_id=self.person.trust_id)
        return mine if self.trust_wide else mine.filter(school_id__in=self.school_ids)


def keeping_of(person: Person | None) -> Keeping:
    """What `person` keeps; nothing once they are out of the directory or past their leaving date."""
    if person is None or not person.in_directory:
        return Keeping(None)
    if person.leave_date is not None and person.leave_date < timezone.localdate():
        return Keeping(None)
    return Keeping.of(person, KEEPER_ROLES)


def keeping(user: User) -> Keeping:
    return keeping_of(person_of(user))


def visible_devices(user: User) -> QuerySet[Device]:
    """The devices `user` keeps (the register's list)."""
    return keeping(user).devices()


def device_for(user: User, device_id: int) -> Device:
    """The device if `user` keeps it; 404 otherwise."""
    try:
        return visible_devices(user).select_related("school", "holder", "trust").get(pk=device_id)
    except Device.DoesNotExist:
        raise Http404("No such device") from None


def devices_person_for(user: User, person_id: int) -> Person:
    """A person whose devices `user` may see: themselves, or someone in a school `user` keeps."""
    me = person_of(user)
    if me is not None:
        if me.pk == person_id:
            return me
        person = Person.objects.filter(pk=person_id, trust_id=me.trust_id).select_related("school").first()
        if person is not None and keeping_of(me).covers(person.school_id):
            return person
    raise Http404("No such person")


def issuable_people(user: User, device: Device) -> QuerySet[Person]:
    """Who `user` may issue `device` to: people of the trust they may see, with a sign-in of their
    own (not a shared inbox) and still in the directory. Leaving dates are checked against the day
    of issue by the form."""
    return visible_people(user).filter(trust_id=device.trust_id, account_kind="person", in_directory=True)


def receivers_for(device: Device, me: Person) -> QuerySet[Person]:
    """Who may sign for a returned device: the recorder, and whoever keeps the device's school (seed
    000: the Head Teacher or Trust Head Office; seed 001: IT Support)."""
    where = Q(role_assignments__role__in=KEEPER_ROLES, role_assignments__school__isnull=True)
    if device.school_id is not None:
        where |= Q(role_assignments__role__in=KEEPER_ROLES, role_assignments__school_id=device.school_id)
    return (
        Person.objects.filter(Q(pk=me.pk) | (where & Q(trust_id=device.trust_id, in_directory=True)))
        .distinct()
        .order_by("last_name", "first_name")
    )
