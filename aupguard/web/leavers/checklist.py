"""A leaver's checklist, computed from the registers each time it is read (issue 5, part 6).

Four items, each with a state:
- **accounts disabled on the last working day**: aupguard's own sign-in (closed by
  `close_leaver_accounts`, refused at sign-in after the leaving date anyway) and the school accounts
  (Microsoft 365, Google Workspace), which the IT team disables and confirms here;
- **every device returned**: from the asset register (`asset.not_returned`);
- **the line manager's access to the mailbox**: an approved, time-limited `leaver_mailbox_access`
  request where the leaver's policy has that route; only where there is a business need (seed 003:
  TOP-10.2), so it never holds the checklist open; where the policy has no such route, it says so;
- **mailbox deleted**: due the leaving date plus the policy's `mailbox_retention_days`; where the
  policy sets none, it can be recorded but holds nothing open, since no date is owed.

Deadlines are the end of the working day (the pack's working hours) on the date they fall due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

from aupguard.engine.packs import Pack
from aupguard.web.approvals.models import Request
from aupguard.web.devices.models import Device
from aupguard.web.devices.queries import held_by
from aupguard.web.leavers.deadlines import end_of_working_day
from aupguard.web.leavers.models import Confirmation
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.status import current_version, pack_id_of

__all__ = ["MAILBOX_WORKFLOW", "Checklist", "Item", "State", "checklist_of", "checklists_for", "day"]

MAILBOX_WORKFLOW = "leaver_mailbox_access"
# A pack without a leaver route may still let the line manager ask through general mailbox access (the
# approvals app sends the leaver's link there: approvals.workflows.FALLBACKS); the request names the
# leaver as its subject either way.
MAILBOX_WORKFLOWS = (MAILBOX_WORKFLOW, "mailbox_access")


class State:
    DONE = "done"
    TO_DO = "to do"  # outstanding: holds the checklist open
    LATER = "later"  # not due yet, and cannot be done yet (a mailbox kept for its retention period)
    OPTIONAL = "optional"  # may be done; holds nothing open
    NO_ROUTE = "not in this policy"


def day(date: dt.date) -> str:
    return date_format(date, "j F Y")


@dataclass(frozen=True)
class Item:
    key: str  # "accounts", "devices", "mailbox_access", "mailbox_deletion"
    title: str
    state: str
    lines: tuple[str, ...]  # what is known, one sentence each
    due: dt.date | None = None
    who: str = ""  # who acts on it
    overdue: bool = False

    @property
    def outstanding(self) -> bool:
        return self.state == State.TO_DO


@dataclass
class Checklist:
    leaver: Person
    leave_date: dt.date
    today: dt.date
    version: PolicyVersion | None
    pack: Pack | None
    devices: list[Device]
    confirmations: dict[str, Confirmation]
    mailbox_route: str | None  # the approving role, None where the policy has no such workflow
    mailbox_request: Request | None
    items: list[Item] = field(default_factory=list)

    @property
    def outstanding(self) -> list[Item]:
        return [item for item in self.items if item.outstanding]

    @property
    def later(self) -> list[Item]:
        return [item for item in self.items if item.state == State.LATER]

    @property
    def complete(self) -> bool:
        return not self.outstanding and not self.later

    @property
    def has_left(self) -> bool:
        return self.leave_date < self.today

    @property
    def retention_days(self) -> int | None:
        return self.pack.settings.mailbox_retention_days if self.pack is not None else None

    @property
    def mailbox_deletion_date(self) -> dt.date | None:
        days = self.retention_days
        return self.leave_date + dt.timedelta(days=days) if days is not None else None

    def deadline(self, date: dt.date) -> dt.datetime:
        """The moment a task due on `date` becomes late."""
        return end_of_working_day(self.pack, date)

    def item(self, key: str) -> Item:
        return next(item for item in self.items if item.key == key)


def _mailbox_route(pack: Pack | None) -> str | None:
    if pack is None:
        return None
    routes = {c.workflow.id: c.workflow.approver for c in reversed(pack.clauses) if c.workflow is not None}
    return next((routes[w] for w in MAILBOX_WORKFLOWS if w in routes), None)


def _who(person: Person | None) -> str:
    return str(person) if person is not None else "someone no longer listed"


def _accounts(c: Checklist) -> Item:
    user = c.leaver.user
    closes_on = c.leave_date + dt.timedelta(days=1)
    lines: list[str] = []
    if user is None:
        ours = True
        lines.append("No aupguard sign-in to close.")
    elif not user.is_active:
        ours = True
        lines.append("aupguard sign-in: closed.")
    else:
        ours = False
        if c.has_left:
            lines.append(
                f"aupguard sign-in: refused since {day(closes_on)}, but the account is still open: "
                "close it here (the daily close_leaver_accounts run also does)."
            )
        else:
            lines.append(
                f"aupguard sign-in: refused from {day(closes_on)}; the daily close_leaver_accounts run "
                "then closes the account."
            )
    confirmed = c.confirmations.get(Confirmation.Item.SCHOOL_ACCOUNTS_DISABLED)
    if confirmed is not None:
        lines.append(
            f"School accounts (Microsoft 365, Google Workspace): disabled on {day(confirmed.done_on)}, "
            f"confirmed by {_who(confirmed.confirmed_by)}."
        )
    else:
        lines.append("School accounts (Microsoft 365, Google Workspace): not yet confirmed disabled by IT.")
    done = ours and confirmed is not None
    return Item(
        "accounts",
        "Accounts disabled on the last working day",
        State.DONE if done else State.TO_DO,
        tuple(lines),
        due=c.leave_date,
        who="the IT team",
        overdue=not done and c.has_left,
    )


def _devices(c: Checklist) -> Item:
    if not c.devices:
        return Item(
            "devices", "Every device returned", State.DONE, ("No school device is held.",), due=c.leave_date
        )
    held = [
        f"{d.asset_tag} ({d.get_kind_display()}), issued {day(d.issued_on)}" if d.issued_on else d.asset_tag
        for d in c.devices
    ]
    count = len(c.devices)
    return Item(
        "devices",
        "Every device returned",
        State.TO_DO,
        (f"Still held: {count} device{'s' if count != 1 else ''}.", *held),
        due=c.leave_date,
        who="the leaver, their line manager and the IT team",
        overdue=c.has_left,
    )


def _request_line(r: Request, now: dt.datetime) -> tuple[str, str]:
    """(state, sentence) for the latest request."""
    asked = f"asked by {_who(r.requester)} on {day(timezone.localdate(r.created_at))}"
    last_day = timezone.localtime(r.expires - dt.timedelta(microseconds=1)).date()
    if r.status == Request.Status.APPROVED:
        if r.is_in_force(now):
            return State.DONE, f"Approved ({asked}): access until {day(last_day)}, then it ends."
        if now < r.starts:
            return (
                State.DONE,
                f"Approved ({asked}): access from {day(timezone.localdate(r.starts))} to {day(last_day)}.",
            )
        return State.DONE, f"Approved ({asked}); the access ended on {day(last_day)}."
    if r.status == Request.Status.PENDING:
        return State.OPTIONAL, f"Waiting for a decision ({asked})."
    return State.OPTIONAL, f"The last request was {r.get_status_display()} ({asked})."


def _mailbox_access(c: Checklist, now: dt.datetime) -> Item:
    title = "Line manager's access to the mailbox"
    if c.version is None:
        return Item("mailbox_access", title, State.NO_ROUTE, ("No policy is published for this school yet.",))
    if c.mailbox_route is None:
        return Item(
            "mailbox_access",
            title,
            State.NO_ROUTE,
            (
                f"There is no such route in this policy: {c.version.title} has no request for a "
                "line manager's access to a leaver's mailbox, so aupguard grants none.",
            ),
        )
    route = c.mailbox_route.replace("_", " ")
    if c.mailbox_request is None:
        return Item(
            "mailbox_access",
            title,
            State.OPTIONAL,
            (
                "Only where there is a business need: the line manager asks, the "
                f"{route} approves, and the access ends on the date the approval gives.",
                "Not asked for.",
            ),
            who="the line manager",
        )
    state, line = _request_line(c.mailbox_request, now)
    return Item("mailbox_access", title, state, (line,), who="the line manager")


def _mailbox_deletion(c: Checklist) -> Item:
    title = "Mailbox deleted"
    confirmed = c.confirmations.get(Confirmation.Item.MAILBOX_DELETED)
    days = c.retention_days
    if confirmed is not None:
        return Item(
            "mailbox_deletion",
            title,
            State.DONE,
            (f"Deleted on {day(confirmed.done_on)}, confirmed by {_who(confirmed.confirmed_by)}.",),
        )
    due = c.mailbox_deletion_date
    if days is None or due is None:
        return Item(
            "mailbox_deletion",
            title,
            State.OPTIONAL,
            (
                "The policy sets no retention period for a leaver's mailbox: delete it when the "
                "trust's retention schedule says, and record it here.",
            ),
            who="the IT team",
        )
    kept = (
        f"The policy keeps a leaver's mailbox for {days} days after the leaving date: "
        f"delete it on {day(due)}."
    )
    if c.today < due:
        return Item("mailbox_deletion", title, State.LATER, (kept,), due=due, who="the IT team")
    return Item(
        "mailbox_deletion", title, State.TO_DO, (kept,), due=due, who="the IT team", overdue=c.today > due
    )


def _latest_requests(leavers: Sequence[Person], now: dt.datetime) -> dict[int, Request]:
    """Per leaver, the request that answers "may the line manager read the mailbox?": one in force if
    any, else the newest."""
    chosen: dict[int, Request] = {}
    requests = Request.objects.filter(workflow__in=MAILBOX_WORKFLOWS, subject__in=leavers).select_related(
        "requester"
    )
    for r in requests.order_by("-created_at", "-id"):
        if r.subject_id is None:
            continue
        current = chosen.get(r.subject_id)
        if current is None or (r.is_in_force(now) and not current.is_in_force(now)):
            chosen[r.subject_id] = r
    return chosen


def checklists_for(
    leavers: Iterable[Person], *, today: dt.date | None = None, now: dt.datetime | None = None
) -> dict[int, Checklist]:
    """The checklists of many leavers with a handful of queries (the leavers list, the home page)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    people = [p for p in leavers if p.leave_date is not None]
    devices: dict[int, list[Device]] = {}
    for device in held_by(people).order_by("asset_tag"):
        if device.holder_id is not None:
            devices.setdefault(device.holder_id, []).append(device)
    confirmations: dict[int, dict[str, Confirmation]] = {}
    by_date = {(p.pk, p.leave_date) for p in people}
    for confirmation in Confirmation.objects.filter(leaver__in=people).select_related("confirmed_by"):
        if (confirmation.leaver_id, confirmation.leave_date) in by_date:
            confirmations.setdefault(confirmation.leaver_id, {})[confirmation.item] = confirmation
    requests = _latest_requests(people, now)
    versions: dict[str, PolicyVersion | None] = {}
    result: dict[int, Checklist] = {}
    for person in people:
        if person.leave_date is None:
            continue
        pack_id = pack_id_of(person)
        if pack_id not in versions:
            versions[pack_id] = current_version(pack_id)
        version = versions[pack_id]
        pack = pack_for(version) if version is not None else None
        checklist = Checklist(
            leaver=person,
            leave_date=person.leave_date,
            today=today,
            version=version,
            pack=pack,
            devices=devices.get(person.pk, []),
            confirmations=confirmations.get(person.pk, {}),
            mailbox_route=_mailbox_route(pack),
            mailbox_request=requests.get(person.pk),
        )
        checklist.items = [
            _accounts(checklist),
            _devices(checklist),
            _mailbox_access(checklist, now),
            _mailbox_deletion(checklist),
        ]
        result[person.pk] = checklist
    return result


def checklist_of(
    leaver: Person, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> Checklist:
    if leaver.leave_date is None:
        raise ValueError(f"{leaver.email} has no leaving date")
    return checklists_for([leaver], today=today, now=now)[leaver.pk]
