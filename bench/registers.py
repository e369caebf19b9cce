"""The registers benchmark (issue 5, "Speed, in a benchmark"): a large trust in PostgreSQL, and how
fast the pages people use answer.

    python -m bench.registers                 # generate once (a few minutes), then time every page
    python -m bench.registers --regenerate    # throw the data away and generate it again

50,000 people in 100 schools, 500,000 sign-offs, 100,000 requests and 1,000,000 guard events (plus
devices, incidents and audit events) are written with COPY into the database `DATABASE_URL` names
(default: `aupguard_bench` on the PostgreSQL at 127.0.0.1:5432, created if missing). Each page is then
asked for `--requests` times by Django's test client in this process (no network, no browser: the
server's own time, queries included) as the people who use it, and its 50th and 95th percentiles are
printed against the target: under 200 ms at the 95th percentile.
"""

# Django is configured from the command line's --database before any model is imported, so the
# imports that need it are inside functions; the data is random by design, not for secrets.
# ruff: noqa: PLC0415, S311

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/aupguard_bench"
TARGET_MS = 200.0
SCHOOLS = 100
PEOPLE = 50_000
VERSIONS = 11  # 50,000 people x 10 older versions, and 70% of them the newest: 535,000 sign-offs
REQUESTS = 100_000
EVENTS = 1_000_000
DEVICES = 40_000
INCIDENTS = 5_000
AUDIT = 200_000
PACK = "wells"
SLUG = "bench-trust"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # The pages are timed for people already signed in; the second-factor step is the sign-in's.
    os.environ["AUPGUARD_MFA_ROLES"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aupguard.web.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    names = ", ".join(f'"{column}"' for column in columns)  # `where` is a column name, and SQL's
    count = 0
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _ids(table: str, where: str = "") -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} {where} ORDER BY id")  # noqa: S608 (our own names)
        return [row[0] for row in cursor.fetchall()]


@dataclass
class Cast:
    """The people the pages are asked for as."""

    teacher: str
    head: str
    school_dpl: str
    trust_dpl: str
    coo: str
    it: str
    network_manager: str


def _emails(school: int, n: int) -> str:
    return f"s{n:03d}@school{school:03d}.bench.sch.uk"


def generate(rng: random.Random) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from aupguard.engine.catalogue import WORKFLOWS
    from aupguard.web.lib.engine_bridge import pack_for
    from aupguard.web.org.models import School, Trust
    from aupguard.web.policies.models import PolicyVersion

    call_command("load_packs", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base = PolicyVersion.objects.filter(pack_id=PACK).latest("published_at")
    with transaction.atomic():
        trust = Trust.objects.create(name="Bench Trust", slug=SLUG, pack_id=PACK)
        School.objects.bulk_create(
            School(trust=trust, name=f"School {i:03d}", slug=f"school-{i:03d}") for i in range(SCHOOLS)
        )
        schools = list(School.objects.filter(trust=trust).order_by("slug").values_list("id", flat=True))
        versions = [base]
        for n in range(1, VERSIONS):
            source = base.source_yaml + f"\n# bench re-publication {n}\n"
            versions.append(
                PolicyVersion.objects.create(
                    pack_id=PACK,
                    sha256=hashlib.sha256(source.encode()).hexdigest(),
                    organisation=base.organisation,
                    title=base.title,
                    policy_version=f"{base.policy_version} r{n}",
                    review_date=base.review_date,
                    clause_count=base.clause_count,
                    source_yaml=source,
                    published_at=NOW - dt.timedelta(days=(VERSIONS - n) * 30),
                )
            )
        print("people ...", flush=True)
        password = make_password("bench-password")
        per_school = PEOPLE // SCHOOLS
        now = NOW.isoformat()

        def users() -> Iterable[Sequence[Any]]:
            for s in range(SCHOOLS):
                for n in range(per_school):
                    yield (_emails(s, n), password, False, False, True, now, "", "", _emails(s, n))

        _copy(
            "auth_user",
            [
                "username",
                "password",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
                "first_name",
                "last_name",
                "email",
            ],
            users(),
        )
        user_ids = dict(_user_ids())
        first_names = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Grace", "Arthur"]
        last_names = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel"]

        def people() -> Iterable[Sequence[Any]]:
            for s, school in enumerate(schools):
                for n in range(per_school):
                    email = _emails(s, n)
                    leave = (
                        (NOW.date() + dt.timedelta(days=rng.randint(-50, 50))).isoformat()
                        if n % 97 == 5
                        else None
                    )
                    yield (
                        trust.pk,
                        school,
                        email,
                        rng.choice(first_names),
                        rng.choice(last_names),
                        "person",
                        "2020-09-01",
                        leave,
                        "",
                        "",
                        user_ids[email],
                        True,
                        now,
                        now,
                    )

        _copy(
            "people_person",
            [
                "trust_id",
                "school_id",
                "email",
                "first_name",
                "last_name",
                "account_kind",
                "start_date",
                "leave_date",
                "personal_email",
                "personal_mobile",
                "user_id",
                "in_directory",
                "created_at",
                "updated_at",
            ],
            people(),
        )
        person_ids = _ids("people_person", f"WHERE trust_id = {trust.pk}")
        by_school = [person_ids[i * per_school : (i + 1) * per_school] for i in range(SCHOOLS)]

        def roles() -> Iterable[Sequence[Any]]:
            for s, school in enumerate(schools):
                staff = by_school[s]
                yield (staff[0], school, "headteacher")
                yield (staff[0], school, "senior_leader")
                yield (staff[1], school, "dpl")
                yield (staff[2], school, "it_support")
                for p in staff[3:8]:
                    yield (p, school, "senior_leader")
                for p in staff[8:30]:
                    yield (p, school, "line_manager")
                for p in staff:
                    yield (p, school, "staff")
            central = by_school[0]
            yield (central[490], None, "dpl")
            yield (central[491], None, "coo")
            yield (central[492], None, "network_manager")

        _copy("people_roleassignment", ["person_id", "school_id", "role"], roles())
        for s in range(SCHOOLS):
            connection.cursor().execute(
                "UPDATE people_person SET line_manager_id = %s WHERE id = ANY(%s)",
                [by_school[s][8], by_school[s][30:]],
            )

        print("sign-offs ...", flush=True)

        def signoffs() -> Iterable[Sequence[Any]]:
            for v, version in enumerate(versions):
                signed = version.published_at + dt.timedelta(days=3)
                for p in person_ids:
                    # the newest version: 70% have signed, so the overdue lists are long
                    if v < VERSIONS - 1 or rng.random() < 0.7:
                        yield (p, version.pk, signed.isoformat(), "Bench Person")

        _copy("signoff_signoff", ["person_id", "version_id", "signed_at", "typed_name"], signoffs())

        print("requests ...", flush=True)
        pack = pack_for(versions[-1])
        enabled = [(c.workflow.id, c.workflow.approver, c.id) for c in pack.clauses if c.workflow]
        if not enabled or any(w not in WORKFLOWS for w, _, _ in enabled):
            raise SystemExit(f"the {PACK} pack enables no workflow the catalogue knows")

        def requests() -> Iterable[Sequence[Any]]:
            statuses = ["pending"] * 2 + ["approved"] * 5 + ["rejected", "revoked", "withdrawn"]
            for i in range(REQUESTS):
                s = i % SCHOOLS
                requester = rng.choice(by_school[s][30:])
                workflow, approver, clause = rng.choice(enabled)
                created = NOW - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                status = rng.choice(statuses)
                decided = status in ("approved", "rejected", "revoked")
                yield (
                    trust.pk,
                    schools[s],
                    workflow,
                    requester,
                    None,
                    versions[-1].pk,
                    clause,
                    approver,
                    "",
                    "Bench request",
                    created.isoformat(),
                    (created + dt.timedelta(days=30)).isoformat(),
                    status,
                    by_school[s][0] if decided else None,
                    created.isoformat() if decided else None,
                    "",
                    by_school[s][0] if status == "revoked" else None,
                    created.isoformat() if status == "revoked" else None,
                    "No longer needed" if status == "revoked" else "",
                    "",
                    created.isoformat(),
                )

        _copy(
            "approvals_request",
            [
                "trust_id",
                "school_id",
                "workflow",
                "requester_id",
                "subject_id",
                "version_id",
                "clause_id",
                "approver_role",
                "scope",
                "details",
                "starts",
                "expires",
                "status",
                "decided_by_id",
                "decided_at",
                "decision_note",
                "revoked_by_id",
                "revoked_at",
                "revoke_reason",
                "dpia_reference",
                "created_at",
            ],
            requests(),
        )

        print("guard events ...", flush=True)
        checks = [
            "email.card_number",
            "email.personal_data_external",
            "web.gambling",
            "web.social_networking",
            "web.adult",
            "email.offensive_language",
            "web.proxy_vpn",
            "email.bulk_unauthorised",
        ]

        def events() -> Iterable[Sequence[Any]]:
            for i in range(EVENTS):
                s = i % SCHOOLS
                n = rng.randrange(per_school)
                p = by_school[s][n]
                check = rng.choice(checks)
                at = NOW - dt.timedelta(seconds=rng.randint(0, 90 * 86400))
                source = "web" if check.startswith("web.") else "email"
                yield (
                    trust.pk,
                    schools[s],
                    p,
                    source,
                    at.isoformat(),
                    None,
                    1,
                    check,
                    "RB-6.7.7",
                    "block",
                    _emails(s, n),
                    "example.com",
                    "",
                    "",
                    PACK,
                    "",
                    hashlib.sha256(str(i).encode()).hexdigest(),
                    "new",
                    "",
                    None,
                    None,
                    now,
                )

        _copy(
            "monitoring_guardevent",
            [
                "trust_id",
                "school_id",
                "person_id",
                "source",
                "at",
                "last_at",
                "count",
                "check_id",
                "clause",
                "action",
                "who",
                "where",
                "evidence",
                "ref",
                "pack_id",
                "pack_sha256",
                "key",
                "status",
                "status_note",
                "status_by_id",
                "status_at",
                "ingested_at",
            ],
            events(),
        )

        from aupguard.web.monitoring.counts import recount

        recount(trust, {(NOW - dt.timedelta(days=d)).date() for d in range(92)})
        print("devices ...", flush=True)

        def devices() -> Iterable[Sequence[Any]]:
            for i in range(DEVICES):
                s = i % SCHOOLS
                issued = i % 3 != 0
                holder = rng.choice(by_school[s]) if issued else None
                yield (
                    trust.pk,
                    schools[s],
                    f"B{i:06d}",
                    rng.choice(["laptop", "tablet", "phone"]),
                    "Bench model",
                    "",
                    True,
                    "issued" if issued else "in_stock",
                    holder,
                    "2025-09-01" if issued else None,
                    "",
                    now,
                    now,
                )

        _copy(
            "devices_device",
            [
                "trust_id",
                "school_id",
                "asset_tag",
                "kind",
                "make_model",
                "serial_number",
                "encrypted",
                "status",
                "holder_id",
                "issued_on",
                "notes",
                "created_at",
                "updated_at",
            ],
            devices(),
        )
        print("incidents ...", flush=True)
        _incidents(trust, schools, by_school, versions[-1], rng)
        print("audit events ...", flush=True)

        def audit() -> Iterable[Sequence[Any]]:
            for i in range(AUDIT):
                s = i % SCHOOLS
                at = NOW - dt.timedelta(seconds=rng.randint(0, 365 * 86400))
                yield (
                    at.isoformat(),
                    None,
                    "bench",
                    "people.update",
                    "person",
                    str(i),
                    schools[s],
                    "bench change",
                    "",
                    "{}",
                )

        _copy(
            "audit_auditevent",
            [
                "at",
                "actor_id",
                "actor_name",
                "action",
                "target_type",
                "target_id",
                "school_id",
                "summary",
                "reason",
                "details",
            ],
            audit(),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _user_ids() -> Iterable[tuple[str, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT username, id FROM auth_user")
        yield from cursor.fetchall()


def _incidents(
    trust: Any, schools: list[int], by_school: list[list[int]], version: Any, rng: random.Random
) -> None:
    """Incidents through the ORM (a few thousand rows), one in five a personal data breach."""
    from aupguard.engine.catalogue import INCIDENT_KINDS
    from aupguard.web.incidents.models import Breach, Incident

    incidents = []
    for i in range(INCIDENTS):
        s = i % SCHOOLS
        at = NOW - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        incidents.append(
            Incident(
                trust=trust,
                school_id=schools[s],
                kind=rng.choice(INCIDENT_KINDS),
                reporter_id=rng.choice(by_school[s][30:]),
                occurred_at=at,
                reported_at=at,
                what_happened="Bench incident",
                version=version,
                personal_data="unknown",
            )
        )
    made = Incident.objects.bulk_create(incidents, batch_size=2000)
    breaches = []
    for i, incident in enumerate(made[::5]):
        aware = incident.reported_at
        breaches.append(
            Breach(
                incident=incident,
                version=version,
                aware_at=aware,
                report_hours=72,
                deadline=aware + dt.timedelta(hours=72),
                opened_by_id=by_school[i % SCHOOLS][1],
                opened_at=aware,
            )
        )
    Breach.objects.bulk_create(breaches, batch_size=2000)


def counts() -> dict[str, int]:
    from django.db import connection

    tables = [
        "incidents_incident",
        "incidents_breach",
        "people_person",
        "signoff_signoff",
        "approvals_request",
        "monitoring_guardevent",
        "monitoring_guardeventday",
        "devices_device",
        "audit_auditevent",
    ]
    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own names)
            out[table] = cursor.fetchone()[0]
    return out


# --------------------------------------------------------------------------------------- timing


@dataclass
class Page:
    name: str
    path: str
    who: str
    prepare: Callable[[Any], None] | None = None


def _reason(client: Any) -> None:
    client.post("/monitoring/", {"reason": "Benchmark: timing the monitoring pages", "next": "/monitoring/"})


def pages(cast: Cast) -> list[Page]:
    return [
        Page("home, a teacher", "/", cast.teacher),
        Page("home, a headteacher", "/", cast.head),
        Page("home, the trust DPL", "/", cast.trust_dpl),
        Page("people, a headteacher", "/people/", cast.head),
        Page("people, the trust DPL (50,000)", "/people/", cast.trust_dpl),
        Page("people, page 500", "/people/?page=500", cast.trust_dpl),
        Page("sign-off dashboard, a headteacher", "/my-policy/dashboard/", cast.head),
        Page("sign-off dashboard, the trust DPL", "/my-policy/dashboard/", cast.trust_dpl),
        Page("monitoring events, a headteacher", "/monitoring/", cast.head, _reason),
        Page("monitoring events, the trust DPL", "/monitoring/", cast.trust_dpl, _reason),
        Page("monitoring events, page 200", "/monitoring/?page=200", cast.trust_dpl, _reason),
        Page("monitoring summary, the trust DPL", "/monitoring/summary/", cast.trust_dpl),
        Page("my requests, a teacher", "/requests/", cast.teacher),
        Page("waiting for you, a headteacher", "/requests/waiting/", cast.head),
        Page("waiting for you, the COO", "/requests/waiting/", cast.coo),
        Page("incidents register, a headteacher", "/incidents/", cast.head),
        Page("incidents register, the trust DPL", "/incidents/", cast.trust_dpl),
        Page("breach register, a school DPL", "/incidents/breaches/", cast.school_dpl),
        Page("breach register, the trust DPL", "/incidents/breaches/", cast.trust_dpl),
        Page("devices, a school's IT", "/devices/", cast.it),
        Page("devices, the trust's network manager", "/devices/", cast.network_manager),
        Page("leavers, the trust DPL", "/leavers/", cast.trust_dpl),
        Page("sign-off campaigns, the trust DPL", "/my-policy/campaigns/", cast.trust_dpl),
    ]


def time_pages(cast: Cast, repeats: int) -> list[tuple[str, float, float, float, int]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed, and no page sends real email
    results = []
    users = get_user_model().objects
    for page in pages(cast):
        client = Client()
        client.force_login(users.get(username=page.who), backend="django.contrib.auth.backends.ModelBackend")
        if page.prepare:
            page.prepare(client)
        status = client.get(page.path).status_code  # warm: the pack parsed, the connection open
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(page.path)
            timings.append((time.perf_counter() - start) * 1000)
            status = response.status_code
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        results.append((page.name, statistics.median(timings), p95, timings[-1], status))
        print(
            f"  {page.name:<42} p50 {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   [{status}]",
            flush=True,
        )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.registers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("AUPGUARD_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--regenerate", action="store_true", help="drop the generated data and make it again")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="requests, events, devices and audit events times this (a smoke run)",
    )
    args = parser.parse_args(argv)
    global REQUESTS, EVENTS, DEVICES, AUDIT
    REQUESTS, EVENTS, DEVICES, AUDIT = (int(n * args.scale) for n in (REQUESTS, EVENTS, DEVICES, AUDIT))
    if not args.database.startswith("postgres"):
        parser.error("the registers benchmark needs PostgreSQL (DESIGN.md: a large trust runs on it)")
    _ensure_database(args.database)
    _setup(args.database)
    from django.core.management import call_command

    from aupguard.web.org.models import Trust

    if args.regenerate:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    if not Trust.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        generate(random.Random(args.seed))
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    for table, count in counts().items():
        print(f"  {table:<24} {count:>10,}")
    cast = Cast(
        teacher=_emails(5, 100),
        head=_emails(5, 0),
        school_dpl=_emails(5, 1),
        trust_dpl=_emails(0, 490),
        coo=_emails(0, 491),
        it=_emails(5, 2),
        network_manager=_emails(0, 492),
    )
    print(f"\nPages, {args.requests} requests each (target: p95 under {TARGET_MS:.0f} ms):", flush=True)
    results = time_pages(cast, args.requests)
    slow = [r for r in results if r[2] >= TARGET_MS or r[4] != 200]
    print(f"\n{len(results) - len(slow)} of {len(results)} pages: p95 under {TARGET_MS:.0f} ms, status 200")
    for name, _p50, p95, _max, status in slow:
        print(f"  SLOW or failing: {name}: p95 {p95:.0f} ms, status {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
