"""Importing a pupils roster: a plan first (what would change, every problem by row), then the import,
which writes exactly the plan.

A roster is imported for one school or for the whole trust:

- for one school, the file is that school's roster: a row's `school` may be blank (or the column left
  out, as many MIS exports do) or name that school; a row naming another school is a problem, so a
  trust-wide file uploaded as one school's cannot silently move every other school's pupils;
- for the trust, every row's `school` must name one of the trust's schools (by name or slug).

The file is read by the engine's `read_roster` (DESIGN.md columns; every problem named by file, line
and field), the same reader the guards use, so a file the web accepts is a file the guards accept.
The web adds what only it knows: the schools, and the UPNs already held. A UPN is the pupil's for
life: one already on another school of the trust moves with the pupil to the school that now lists
them; one held by a school outside the trust is a problem. A plan with problems cannot be applied.

Nobody is ever deleted: a pupil of the imported school (or trust) missing from the file is kept and
marked `in_roster=False`, and comes back if a later file lists them again. The audit event names
pupils by their record id, never by name or UPN, because the audit log can never be erased.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from aupguard.engine.people import PeopleFileError, PeopleProblem, Roster, read_roster
from aupguard.engine.people import Pupil as RosterPupil
from aupguard.web.audit.log import record
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Pupil, PupilUpload
from aupguard.web.people.plans import PlanCounts

__all__ = [
    "PupilChange",
    "RosterPlan",
    "do_apply_roster_import",
    "new_pupil_upload",
    "plan_roster_import",
    "scope_name",
]

#: The fields a roster row sets, in the order the preview shows their changes.
_FIELDS = ("first_name", "last_name", "preferred_name", "year_group", "contact_emails")

# Lookups by UPN are split so that a trust's whole roster stays under every database's limit on
# query parameters.
_CHUNK = 500


@dataclass
class PupilChange:
    upn: str
    name: str  # as the file has it
    school: School  # the school the pupil is at after the import
    action: str  # "add", "update", "move", "unchanged"
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    moved_from: School | None = None  # for "move": the school of the trust the pupil leaves
    returning: bool = False  # back on the roster after a file that did not list them


@dataclass
class RosterPlan(PlanCounts):
    file_name: str
    scope: str  # "Ash Primary School", or the trust's name for a trust-wide file
    problems: list[str] = field(default_factory=list)
    rows: list[PupilChange] = field(default_factory=list)
    missing: list[Pupil] = field(default_factory=list)
    roster: Roster | None = None

    @property
    def count_move(self) -> int:
        return self.count("move")

    @property
    def changed(self) -> list[PupilChange]:
        """The rows that change something, in file order."""
        return [row for row in self.rows if row.action != "unchanged"]

    @property
    def changes_anything(self) -> bool:
        return bool(self.missing or self.changed)


def scope_name(trust: Trust, school: School | None) -> str:
    return school.name if school is not None else f"{trust.name} (every school)"


def _read(file_name: str, content: bytes) -> tuple[Roster | None, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        path.write_bytes(content)
        try:
            return read_roster(path), []
        except PeopleFileError as exc:
            # The reader names the temporary copy; the user knows the file by the name they uploaded.
            return None, [str(PeopleProblem(file_name, p.line, p.field, p.message)) for p in exc.problems]


def _schools(trust: Trust) -> dict[str, School]:
    by_key: dict[str, School] = {}
    for school in trust.schools.all():
        by_key[school.name.casefold()] = school
        by_key[school.slug.casefold()] = school
    return by_key


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _held(upns: Iterable[str]) -> dict[str, Pupil]:
    """The pupils already held with these UPNs, in any school of any trust."""
    held: dict[str, Pupil] = {}
    for chunk in _chunks(sorted(set(upns))):
        for pupil in Pupil.objects.filter(upn__in=chunk).select_related("school"):
            held[pupil.upn] = pupil
    return held


def _shown(name: str, value: object) -> str:
    if name == "contact_emails":
        return "; ".join(value) if isinstance(value, list | tuple) else str(value)
    return "" if value is None else str(value)


def _school_of(
    row: RosterPupil,
    school: School | None,
    schools: dict[str, School],
    problems: list[str],
    file: str,
) -> School | None:
    """The school this row's pupil belongs to, or None after adding the problem with the row."""
    named = schools.get(row.school.casefold()) if row.school else None
    all_names = ", ".join(sorted({s.name for s in schools.values()}))
    if school is not None:
        if not row.school or named == school:
            return school
        if named is not None:
            problems.append(
                f"{file}: {row.upn}: school: this is {school.name}'s roster, but the row names "
                f"{named.name}; import that school's pupils in its own file, or the trust's whole roster"
            )
        else:
            problems.append(
                f"{file}: {row.upn}: school: expected {school.name} or an empty value, got {row.school!r}"
            )
        return None
    if not row.school:
        problems.append(
            f"{file}: {row.upn}: school: a trust-wide roster names each pupil's school; expected one of "
            f"{all_names}, got an empty value"
        )
    elif named is None:
        problems.append(
            f"{file}: {row.upn}: school: expected one of the trust's schools ({all_names}), "
            f"got {row.school!r}"
        )
    return named


def plan_roster_import(trust: Trust, school: School | None, file_name: str, content: bytes) -> RosterPlan:
    """What importing this roster for `school` (None: the whole trust) would do; writes nothing."""
    plan = RosterPlan(Path(file_name).name or "roster.csv", scope_name(trust, school))
    roster, problems = _read(plan.file_name, content)
    plan.problems.extend(problems)
    if roster is None:
        return plan
    plan.roster = roster
    schools = _schools(trust)
    held = _held(p.upn for p in roster)
    for row in roster:
        target = _school_of(row, school, schools, plan.problems, plan.file_name)
        pupil = held.get(row.upn)
        if pupil is not None and pupil.school.trust_id != trust.pk:
            # Without naming the other trust: its pupils are none of this importer's business.
            plan.problems.append(
                f"{plan.file_name}: {row.upn}: upn: already on the roster of a school outside "
                f"{trust.name}; check the UPN against the pupil's record in the MIS"
            )
            continue
        if target is not None:
            plan.rows.append(_row_change(pupil, row, target))
    listed = {row.upn for row in roster}
    scope = Pupil.objects.filter(school=school) if school else Pupil.objects.filter(school__trust=trust)
    plan.missing = [p for p in scope.filter(in_roster=True).select_related("school") if p.upn not in listed]
    return plan


def _row_change(pupil: Pupil | None, row: RosterPupil, school: School) -> PupilChange:
    name = f"{row.first_name} {row.last_name}"
    if pupil is None:
        return PupilChange(row.upn, name, school, "add")
    if pupil.school_id != school.pk:
        # The values held by the other school are not shown: the importer may not keep its records.
        return PupilChange(row.upn, name, school, "move", moved_from=pupil.school)
    changes = {
        column: (_shown(column, getattr(pupil, column)), _shown(column, getattr(row, column)))
        for column in _FIELDS
        if _shown(column, getattr(pupil, column)) != _shown(column, getattr(row, column))
    }
    returning = not pupil.in_roster
    action = "update" if changes or returning else "unchanged"
    return PupilChange(row.upn, name, school, action, changes, returning=returning)


def _values(row: RosterPupil) -> dict[str, object]:
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "preferred_name": row.preferred_name,
        "year_group": row.year_group,
        "contact_emails": list(row.contact_emails),
    }


def do_apply_roster_import(upload: PupilUpload, actor: User) -> RosterPlan:
    """Import the uploaded roster as its plan says; a plan with problems changes nothing."""
    trust, school = upload.trust, upload.school
    with transaction.atomic():
        # Locked, so that two clicks on "Import" import the file once.
        locked = PupilUpload.objects.select_for_update().get(pk=upload.pk)
        plan = plan_roster_import(trust, school, upload.file_name, bytes(locked.content))
        if locked.applied_at is not None:
            plan.problems.append(f"{upload.file_name} has already been imported.")
        if not plan.ok or plan.roster is None:
            return plan
        by_upn = {row.upn: row for row in plan.roster}
        held = _held(row.upn for row in plan.rows if row.action != "add")
        added = Pupil.objects.bulk_create(
            Pupil(upn=row.upn, school=row.school, in_roster=True, **_values(by_upn[row.upn]))
            for row in plan.rows
            if row.action == "add"
        )
        changed: list[Pupil] = []
        for row in plan.rows:
            if row.action in ("update", "move"):
                pupil = held[row.upn]
                for name, value in _values(by_upn[row.upn]).items():
                    setattr(pupil, name, value)
                pupil.school = row.school
                pupil.in_roster = True
                changed.append(pupil)
        Pupil.objects.bulk_update(changed, [*_FIELDS, "school", "in_roster"], batch_size=_CHUNK)
        gone = [p.pk for p in plan.missing]
        for start in range(0, len(gone), _CHUNK):
            Pupil.objects.filter(pk__in=gone[start : start + _CHUNK]).update(in_roster=False)
        locked.applied_at = timezone.now()
        locked.save(update_fields=["applied_at"])
        upload.applied_at = locked.applied_at
        ids = {row.upn: held[row.upn].pk for row in plan.rows if row.upn in held}
        record(
            actor,
            "pupils.import",
            "pupil_upload",
            upload.pk,
            school=school,
            summary=(
                f"imported {upload.file_name} for {plan.scope}: {plan.count_add} added, "
                f"{plan.count_update} updated, {plan.count_move} joined from another school, "
                f"{len(plan.missing)} no longer on the roster"
            ),
            details={
                "sha256": upload.sha256,
                "school": school.slug if school else None,
                "added": [p.pk for p in added],
                "updated": {
                    str(ids[r.upn]): [*r.changes, *(["in_roster"] if r.returning else [])]
                    for r in plan.rows
                    if r.action == "update"
                },
                "moved": {
                    str(ids[r.upn]): r.moved_from.slug if r.moved_from else ""
                    for r in plan.rows
                    if r.action == "move"
                },
                "no_longer_listed": gone,
            },
        )
    return plan


def new_pupil_upload(
    trust: Trust, school: School | None, file_name: str, content: bytes, user: User
) -> PupilUpload:
    return PupilUpload.objects.create(
        trust=trust,
        school=school,
        file_name=Path(file_name).name[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
