"""Importing the staff directory: a plan first (what would change, every problem by row), then the
import, which writes exactly the plan.

The file is read by the engine's `read_directory` (DESIGN.md columns; every problem named by file,
line and field). The web adds what only it knows: whether each row's `school` is one of the trust's
schools (by name or slug) and whether each role is a pack role. A plan with problems cannot be
applied: fix the file and upload it again. Nobody is ever deleted; someone missing from the file is
listed and marked no longer in the directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from aupguard.engine.catalogue import ROLES
from aupguard.engine.people import Directory, PeopleFileError, StaffMember, read_directory
from aupguard.web.audit.log import record
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import DirectoryUpload, Person, RoleAssignment
from aupguard.web.people.plans import PlanCounts

__all__ = ["DirectoryPlan", "RowChange", "do_apply_directory_import", "new_upload", "plan_directory_import"]

_FIELDS = (
    "first_name",
    "last_name",
    "account_kind",
    "start_date",
    "leave_date",
    "personal_email",
    "personal_mobile",
)


@dataclass
class RowChange:
    email: str
    action: str  # "add", "update", "unchanged"
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    leaving: dt.date | None = None


@dataclass
class DirectoryPlan(PlanCounts):
    file_name: str
    problems: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    missing: list[Person] = field(default_factory=list)
    directory: Directory | None = None


def _read(file_name: str, content: bytes) -> tuple[Directory | None, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(file_name).name or "staff.csv")
        path.write_bytes(content)
        try:
            return read_directory(path), []
        except PeopleFileError as exc:
            return None, [str(p).replace(str(Path(folder)) + "/", "") for p in exc.problems]


def _schools(trust: Trust) -> dict[str, School]:
    by_key: dict[str, School] = {}
    for school in trust.schools.all():
        by_key[school.name.casefold()] = school
        by_key[school.slug.casefold()] = school
    return by_key


def _shown(value: object) -> str:
    return "" if value in (None, "") else str(value)


def plan_directory_import(trust: Trust, file_name: str, content: bytes) -> DirectoryPlan:
    """What importing this file would do; writes nothing."""
    plan = DirectoryPlan(file_name)
    directory, problems = _read(file_name, content)
    plan.problems.extend(problems)
    if directory is None:
        return plan
    plan.directory = directory
    schools = _schools(trust)
    existing = {p.email: p for p in Person.objects.filter(trust=trust).prefetch_related("role_assignments")}
    for member in directory.staff:
        if member.school and member.school.casefold() not in schools:
            plan.problems.append(
                f"{file_name}: {member.email}: school: expected one of the trust's schools "
                f"({', '.join(sorted(s.name for s in trust.schools.all()))}), got {member.school!r}"
            )
        unknown = [role for role in member.roles if role not in ROLES]
        if unknown:
            plan.problems.append(
                f"{file_name}: {member.email}: roles: {', '.join(unknown)} not a role key "
                f"(expected some of {', '.join(ROLES)})"
            )
        plan.rows.append(_row_change(existing.get(member.email), member))
    listed = {m.email for m in directory.staff}
    plan.missing = [p for p in existing.values() if p.email not in listed and p.in_directory]
    return plan


def _row_change(person: Person | None, member: StaffMember) -> RowChange:
    if person is None:
        return RowChange(member.email, "add", leaving=member.leave_date)
    changes = {
        name: (_shown(getattr(person, name)), _shown(getattr(member, name)))
        for name in _FIELDS
        if _shown(getattr(person, name)) != _shown(getattr(member, name))
    }
    roles_now = sorted({a.role for a in person.role_assignments.all()})
    if roles_now != sorted(set(member.roles)):
        changes["roles"] = (", ".join(roles_now), ", ".join(sorted(set(member.roles))))
    leaving = member.leave_date if "leave_date" in changes and member.leave_date else None
    return RowChange(member.email, "update" if changes else "unchanged", changes, leaving)


def do_apply_directory_import(upload: DirectoryUpload, actor: User) -> DirectoryPlan:
    """Import the uploaded file as its plan says; a plan with problems changes nothing."""
    trust = upload.trust
    plan = plan_directory_import(trust, upload.file_name, bytes(upload.content))
    if not plan.ok or plan.directory is None:
        return plan
    schools = _schools(trust)
    with transaction.atomic():
        people: dict[str, Person] = {}
        for member in plan.directory.staff:
            school = schools.get(member.school.casefold()) if member.school else None
            person, _ = Person.objects.update_or_create(
                email=member.email,
                defaults={
                    "trust": trust,
                    "school": school,
                    "in_directory": True,
                    **{
                        name: getattr(member, name) or (None if name.endswith("_date") else "")
                        for name in _FIELDS
                    },
                },
            )
            people[member.email] = person
            wanted = {(school.pk if school else None, role) for role in set(member.roles)}
            current = {(a.school_id, a.role): a for a in person.role_assignments.all()}
            for key, assignment in current.items():
                if key not in wanted:
                    assignment.delete()
            for school_id, role in wanted - current.keys():
                RoleAssignment.objects.create(person=person, school_id=school_id, role=role)
        for member in plan.directory.staff:
            manager = people.get(member.line_manager.lower()) if member.line_manager else None
            Person.objects.filter(pk=people[member.email].pk).update(line_manager=manager)
        Person.objects.filter(pk__in=[p.pk for p in plan.missing]).update(in_directory=False)
        upload.applied_at = timezone.now()
        upload.save(update_fields=["applied_at"])
        record(
            actor,
            "people.import",
            "directory_upload",
            upload.pk,
            summary=(
                f"imported {upload.file_name}: {plan.count('add')} added, {plan.count('update')} updated, "
                f"{len(plan.missing)} no longer listed"
            ),
            details={
                "sha256": upload.sha256,
                "added": [r.email for r in plan.rows if r.action == "add"],
                "updated": {r.email: list(r.changes) for r in plan.rows if r.action == "update"},
                "no_longer_listed": [p.email for p in plan.missing],
            },
        )
    return plan


def new_upload(trust: Trust, file_name: str, content: bytes, user: User) -> DirectoryUpload:
    return DirectoryUpload.objects.create(
        trust=trust,
        file_name=Path(file_name).name[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
