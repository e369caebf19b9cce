"""The daily counts behind the monitoring summary, recounted from the events for the days an ingest
touched: exact whatever was added twice or skipped, and cheap, since an ingest touches a day or two."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from aupguard.web.monitoring.models import GuardEvent, GuardEventDay
from aupguard.web.org.models import Trust


def recount(trust: Trust, days: Iterable[dt.date]) -> int:
    """Count `trust`'s events again for `days`; the number of count rows written."""
    wanted = sorted(set(days))
    if not wanted:
        return 0
    rows = (
        GuardEvent.objects.filter(trust=trust, at__date__in=wanted)
        .annotate(day=TruncDate("at"))
        .values("school_id", "check_id", "day")
        .annotate(events=Count("pk"), times=Sum("count"))
        .order_by()
    )
    with transaction.atomic():
        GuardEventDay.objects.filter(trust=trust, day__in=wanted).delete()
        made = GuardEventDay.objects.bulk_create(
            (GuardEventDay(trust=trust, **row) for row in rows.iterator()), batch_size=2000
        )
    return len(made)
