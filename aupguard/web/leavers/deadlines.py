"""When a leaver's task is late: the end of the working day it falls due, in the leaver's policy."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from aupguard.engine.packs import Pack
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.models import Person
from aupguard.web.signoff.status import current_version, pack_id_of

DEFAULT_END_OF_DAY = dt.time(17, 0)


def pack_of(person: Person) -> Pack | None:
    version = current_version(pack_id_of(person))
    return pack_for(version) if version is not None else None


def end_of_working_day(pack: Pack | None, date: dt.date) -> dt.datetime:
    """The end of the pack's working hours on `date`, in the pack's time zone (17:00 where aupguard
    runs when there is no pack)."""
    if pack is not None:
        return dt.datetime.combine(
            date, pack.settings.working_hours.end, tzinfo=ZoneInfo(pack.settings.time_zone)
        )
    return dt.datetime.combine(date, DEFAULT_END_OF_DAY, tzinfo=timezone.get_current_timezone())
