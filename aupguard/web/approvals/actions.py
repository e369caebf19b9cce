"""Every write to the approvals register: atomic, audited, and the people concerned told.

Each `do_*` locks the request row before it checks the status, so that two approvers deciding at
once cannot both win, and refuses what the rules do not allow with `RequestRefused`, whose message
is written for the person who tried. The database constraints (decider never the requester, a
decision always says who and when) are the last line behind these checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from aupguard.web.approvals import notify
from aupguard.web.approvals.access import approvers_for
from aupguard.web.approvals.models import Request, RiskAssessment
from aupguard.web.approvals.workflows import Workflow, label_of, workflows_of
from aupguard.web.audit.log import record
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.access import holders_of
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion

__all__ = [
    "NewRequest",
    "RequestRefused",
    "do_decide_request",
    "do_make_request",
    "do_record_risk_assessment",
    "do_revoke_request",
    "do_withdraw_request",
    "missing_for_approval",
    "role_keepers",
]

Actor = User | AnonymousUser | None


class RequestRefused(Exception):
    """A change the rules do not allow; the message says why, to the person who tried."""


@dataclass(frozen=True)
class NewRequest:
    workflow: Workflow
    version: PolicyVersion
    details: str
    scope: str
    starts: dt.datetime
    expires: dt.datetime
    subject: Person | None = None
    dpia_reference: str = ""


def role_keepers(req: Request) -> list[Person]:
    """Who can give someone a role nobody holds: the school's headteacher, else the trust's CEO."""
    for role, school in (("headteacher", req.school), ("ceo", None)):
        keepers = list(holders_of(role, req.trust, school).exclude(pk=req.requester_id))
        if keepers:
            return keepers
    return []


def do_make_request(
    requester: Person, new: NewRequest, *, actor: Actor, notify_people: bool = True
) -> Request:
    if new.subject is not None and new.subject.pk == requester.pk:
        raise RequestRefused("A request about your own mailbox is not needed: it is yours already.")
    if new.expires <= new.starts:
        raise RequestRefused("The last day must be on or after the first day.")
    with transaction.atomic():
        req = Request.objects.create(
            trust=requester.trust,
            school=requester.school,
            workflow=new.workflow.id,
            requester=requester,
            subject=new.subject,
            version=new.version,
            clause_id=new.workflow.clause.id,
            approver_role=new.workflow.approver,
            scope=new.scope,
            details=new.details,
            starts=new.starts,
            expires=new.expires,
            dpia_reference=new.dpia_reference,
        )
        approvers = list(approvers_for(req))
        record(
            actor,
            "approvals.request",
            "request",
            req.pk,
            school=req.school,
            summary=f"{requester.email} asked for {label_of(req.workflow)} ({req.reference})",
            details={
                "workflow": req.workflow,
                "clause": req.clause_id,
                "version": new.version.sha256,
                "approver_role": req.approver_role,
                "scope": req.scope,
                "subject": new.subject.email if new.subject else None,
                "starts": req.starts.isoformat(),
                "expires": req.expires.isoformat(),
                "routed_to": [p.email for p in approvers],
            },
        )
        if notify_people:
            if approvers:
                notify.tell_new_request(req, approvers)
            else:
                notify.tell_role_unheld(req, role_keepers(req))
    return req


def requirements_of(req: Request) -> tuple[str, ...]:
    """What the request's own policy version requires for its workflow (the version it was made under,
    so that a later version cannot change the rules of a request already made)."""
    workflow = workflows_of(pack_for(req.version)).get(req.workflow)
    return workflow.requires if workflow else ()


def missing_for_approval(req: Request) -> str:
    """Why `req` cannot be approved yet, or "" when nothing is missing."""
    requires = requirements_of(req)
    if "risk_assessment" in requires and not RiskAssessment.objects.filter(request=req).exists():
        return (
            "This request cannot be approved without a risk assessment: the policy allows it only after "
            "one. Record the likelihood, impact, mitigations and residual risk first."
        )
    if "dpia" in requires and not req.dpia_reference.strip():
        return (
            "This request cannot be approved without the reference of its data protection impact assessment."
        )
    return ""


def _locked(req: Request) -> Request:
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("requester", "trust", "school", "version")
        .get(pk=req.pk)
    )


def _already(req: Request) -> str:
    who = f" by {req.decided_by}" if req.decided_by and req.status != Request.Status.WITHDRAWN else ""
    return f"This request is already {req.get_status_display()}{who}: there is nothing to decide."


def _check_approver(req: Request, person: Person, doing: str) -> None:
    if person.pk == req.requester_id:
        raise RequestRefused(f"You made this request, so someone else must {doing} it.")
    if not approvers_for(req).filter(pk=person.pk).exists():
        raise RequestRefused(
            f"Only a {req.approver_role.replace('_', ' ')} for the requester's school may "
            f"{doing} this request."
        )


def do_decide_request(
    req: Request,
    *,
    approve: bool,
    note: str,
    decider: Person,
    actor: Actor,
    expires: dt.datetime | None = None,
    notify_people: bool = True,
) -> Request:
    """Approve or turn down a pending request; `expires` shortens the period asked for."""
    with transaction.atomic():
        locked = _locked(req)
        target = Request.Status.APPROVED if approve else Request.Status.REJECTED
        if not locked.can_become(target):
            raise RequestRefused(_already(locked))
        _check_approver(locked, decider, "decide")
        now = timezone.now()
        if approve:
            if locked.expires <= now:
                raise RequestRefused(
                    "The period this request asked for is over, so it cannot be approved: ask for a new one."
                )
            missing = missing_for_approval(locked)
            if missing:
                raise RequestRefused(missing)
            if expires is not None:
                if expires > locked.expires:
                    raise RequestRefused(
                        "An approval can be shorter than the period asked for, never longer."
                    )
                if expires <= max(locked.starts, now):
                    raise RequestRefused("The approval must end after today and after its first day.")
                locked.expires = expires
        elif not note.strip():
            raise RequestRefused("Say why you are turning the request down, so that the requester knows.")
        locked.status = target
        locked.decided_by = decider
        locked.decided_at = now
        locked.decision_note = note.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "expires"])
        record(
            actor,
            f"approvals.{'approve' if approve else 'reject'}",
            "request",
            locked.pk,
            school=locked.school,
            summary=(
                f"{decider.email} {'approved' if approve else 'turned down'} {locked.requester.email}'s "
                f"{label_of(locked.workflow)} ({locked.reference})"
            ),
            reason=locked.decision_note,
            details={"expires": locked.expires.isoformat(), "asked_until": req.expires.isoformat()},
        )
        if notify_people:
            notify.tell_decision(locked)
    return locked


def do_withdraw_request(req: Request, *, requester: Person, actor: Actor) -> Request:
    with transaction.atomic():
        locked = _locked(req)
        if locked.requester_id != requester.pk:
            raise RequestRefused("Only the person who made a request can withdraw it.")
        if not locked.can_become(Request.Status.WITHDRAWN):
            raise RequestRefused(
                f"This request is already {locked.get_status_display()}: it cannot be withdrawn."
            )
        approvers = list(approvers_for(locked))
        locked.status = Request.Status.WITHDRAWN
        locked.save(update_fields=["status"])
        record(
            actor,
            "approvals.withdraw",
            "request",
            locked.pk,
            school=locked.school,
            summary=f"{requester.email} withdrew {label_of(locked.workflow)} ({locked.reference})",
        )
        notify.tell_withdrawn(locked, approvers)
    return locked


def do_revoke_request(req: Request, *, reason: str, revoker: Person, actor: Actor) -> Request:
    """End an approval now, whatever its period: the guards stop honouring it at the next snapshot."""
    with transaction.atomic():
        locked = _locked(req)
        if not locked.can_become(Request.Status.REVOKED):
            raise RequestRefused(
                f"Only an approval can be revoked; this request is {locked.get_status_display()}."
            )
        _check_approver(locked, revoker, "revoke")
        now = timezone.now()
        if locked.expires <= now:
            raise RequestRefused("This approval has already expired: it allows nothing now.")
        if not reason.strip():
            raise RequestRefused("Give the reason for revoking: the requester is told it.")
        locked.status = Request.Status.REVOKED
        locked.revoked_by = revoker
        locked.revoked_at = now
        locked.revoke_reason = reason.strip()
        locked.save(update_fields=["status", "revoked_by", "revoked_at", "revoke_reason"])
        record(
            actor,
            "approvals.revoke",
            "request",
            locked.pk,
            school=locked.school,
            summary=(
                f"{revoker.email} revoked {locked.requester.email}'s {label_of(locked.workflow)} "
                f"({locked.reference})"
            ),
            reason=locked.revoke_reason,
        )
        notify.tell_revoked(locked)
    return locked


@dataclass(frozen=True)
class Assessment:
    likelihood: str
    impact: str
    mitigations: str
    residual_risk: str


def do_record_risk_assessment(
    req: Request, assessment: Assessment, *, assessor: Person, actor: Actor
) -> RiskAssessment:
    """Record (or revise) the risk assessment of a pending request; every version is in the audit log."""
    with transaction.atomic():
        locked = _locked(req)
        if locked.status != Request.Status.PENDING:
            raise RequestRefused(
                f"This request is {locked.get_status_display()}: its risk assessment can no longer change."
            )
        before = RiskAssessment.objects.filter(request=locked).first()
        old = (
            {f: getattr(before, f) for f in ("likelihood", "impact", "mitigations", "residual_risk")}
            if before
            else None
        )
        saved, _ = RiskAssessment.objects.update_or_create(
            request=locked,
            defaults={
                "likelihood": assessment.likelihood,
                "impact": assessment.impact,
                "mitigations": assessment.mitigations.strip(),
                "residual_risk": assessment.residual_risk,
                "assessed_by": assessor,
                "assessed_at": timezone.now(),
            },
        )
        record(
            actor,
            "approvals.risk_assessment",
            "request",
            locked.pk,
            school=locked.school,
            summary=(
                f"{assessor.email} {'revised' if old else 'recorded'} the risk assessment of "
                f"{locked.reference}: residual risk {assessment.residual_risk}"
            ),
            details={
                "old": old,
                "new": {
                    "likelihood": assessment.likelihood,
                    "impact": assessment.impact,
                    "mitigations": saved.mitigations,
                    "residual_risk": assessment.residual_risk,
                },
            },
        )
    return saved
