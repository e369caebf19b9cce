"""The web benchmark (issue 4, "Speed, in a benchmark"): `python -m bench.web [--requests N]`.

On a generated school day of proxy traffic (`bench.web_corpus`: 200,000 requests, its Squid
access.log and staff directory) against the full compiled lists (``var/categories.aupcat``), it
measures in one run:

1. the category database: file size; load time in a fresh process (the "cold" load: a new process,
   the file in the page cache) and the median of several loads in this one; the peak resident memory
   of a fresh process after importing, after loading and after looking up every request of the day
   (VmHWM from /proc: `resource.getrusage` would report at least this benchmark's own size, see
   `peak_mb`);
2. in-process decisions, one core: ``WebGuard.decide(url, user, time)`` per request (the URL's host
   and categories, the user's roles, the decision at the request's own time, as the helper and the
   log scan decide), and ``WebGuard.decide_many`` over the day at once, for the wells and wonder
   packs. Each pass starts with a freshly loaded database and a fresh guard, so its caches start
   empty, as a helper's do when Squid starts it; best of ``--runs`` passes. The path before issue
   4's rework (``split_url`` + ``db.categories`` + ``UrlChecker.check``) is timed too, for the
   before/after in one run;
3. the helper through its protocol: a client writes the day's requests as Squid's external ACL
   lines (channel IDs 1, 2, 3 ...) to ``python -m aupguard squid-helper --policy wells`` all at once
   (pipelined) and reads every answer; timed from spawning the helper to its last answer, startup
   included. Startup (spawn to the answer of one request) is measured on its own too. The helper is
   pinned to one CPU and the client to the other;
4. log scanning: `SquidLogScanner.feed_lines` over the day's access.log in-process (lines already in
   memory, fed 8,192 at a time), and ``python -m aupguard scan squid-log`` on the file, end to end;
5. the baseline, in the same run: squidGuard (Debian's ``squidguard``) on the same lists: every UT1
   ``domains`` and ``urls`` file and the Sinfonietta host files, as squidGuard databases built with
   ``squidGuard -C all`` beforehand (not timed), and an ACL refusing the lists whose categories the
   wells pack refuses for staff, after the pack's allowed sites (``school-essentials`` and
   ``allowed_domains``). The same requests go through ``squidGuard -c CONF`` as Squid's url_rewrite
   lines, pinned to one CPU, timed the same way. How often squidGuard and the helper agree on what
   to refuse is reported, so that the ratio compares the same work.

Best of ``--runs`` (3) for every timed measure, by the wall clock; each rate is also given per CPU
second of the measured process ("CPU ..."), which shows when another process took the CPU from it.
The measured code (this process's loops, the helper, squidGuard, the scan command) runs on the CPU
that was quieter when the benchmark started; clients on another.

Targets (issue 4): the helper at least 10 times squidGuard's throughput; in-process decisions at
least 500,000 a second; log scanning at least 500,000 lines a second; the database loading in under
0.2 s and under 100 MB resident.

squidGuard's configuration and databases live under ``bench/.cache/squidguard/`` (rebuilt when the
lists change). Without squidGuard installed (``apt-get install squidguard``) the benchmark says so and
prints the rest.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import functools
import gc
import hashlib
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aupguard.engine.catalogue import ALL_ROLES
from aupguard.engine.checks.context import CheckContext, People
from aupguard.engine.checks.web import UrlChecker, UrlRequest
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.logs.scan import SquidLogScanner
from aupguard.engine.packs.load import load_pack
from aupguard.engine.packs.registry import resolve_pack
from aupguard.engine.people import read_directory
from aupguard.engine.web.categories import CategoryDB, default_database_path
from aupguard.engine.web.guard import WebGuard
from aupguard.engine.web.hosts import split_url
from aupguard.process import quiet_gc
from bench import web_corpus

ROOT = Path(__file__).resolve().parent.parent
CACHE = web_corpus.CACHE_DIR
SQUIDGUARD_DIR = CACHE / "squidguard"
SQUIDGUARD_SETUP = 1  # bump when the way the lists are written for squidGuard changes

#: The issue's targets.
TARGET_HELPER_RATIO = 10.0  # helper requests/s over squidGuard's, same lists, same requests
TARGET_DECISIONS = 500_000.0  # in-process decisions per second, one core
TARGET_SCAN = 500_000.0  # log lines per second
TARGET_LOAD_SECONDS = 0.2
TARGET_RESIDENT_MB = 100.0

HELPER_PACK = "wells"
PACKS = ("wells", "wonder")
SCAN_CLI_PACK = "wonder"  # the pack with a web.heavy_streaming limit: the scan's full work
WINDOW = 50  # requests in flight for the windowed helper run (Squid's concurrency=50)
LOAD_REPEATS = 9


def child_environment() -> dict[str, str]:
    """The environment of the Python processes measured: with a bytecode cache, as an install has.

    An installed aupguard has its .pyc files; without them (PYTHONDONTWRITEBYTECODE=1, as some
    shells and CI set it) every start compiles about a hundred modules again, 0.15 s here. The
    children write theirs under bench/.cache/pycache/, never into the source tree.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    return env


CHILD_ENV = child_environment()


# --- the machine ---------------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def cpus() -> tuple[int | None, int | None]:
    """(the quietest CPU, another one): the measured code runs on the first, a client on the second.

    The quietest is the one least busy over half a second (another benchmark may have pinned itself
    to a CPU); with one CPU, both are it.
    """
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    mine = sorted(os.sched_getaffinity(0))

    def busy() -> dict[int, tuple[int, int]]:
        out = {}
        with contextlib.suppress(OSError):
            for line in Path("/proc/stat").read_text().splitlines():
                name, *ticks = line.split()
                if name.startswith("cpu") and name[3:].isdigit():
                    values = [int(t) for t in ticks]
                    out[int(name[3:])] = (sum(values), values[3] + values[4])  # total, idle + iowait
        return out

    before = busy()
    time.sleep(0.5)
    after = busy()

    def load(cpu: int) -> float:
        if cpu not in before or cpu not in after:
            return 0.0
        total = after[cpu][0] - before[cpu][0]
        idle = after[cpu][1] - before[cpu][1]
        return 1 - idle / total if total else 0.0

    ranked = sorted(mine, key=load)
    return ranked[0], ranked[1] if len(ranked) > 1 else ranked[0]


def peak_mb(pid: int | str = "self") -> float | None:
    """The peak resident memory of a running process (VmHWM), in MB; None when it cannot be read.

    Not `resource.getrusage`: on Linux a process's ru_maxrss starts from its parent's high-water
    mark when it is forked (and survives exec), so a child of this benchmark would report at least
    this benchmark's own size.
    """
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def pin(cpu: int | None, pid: int = 0) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(pid, {cpu})


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def squidguard_version() -> str | None:
    exe = shutil.which("squidGuard")
    if exe is None:
        return None
    done = subprocess.run([exe, "-v"], capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else "?"


# --- results -------------------------------------------------------------------------------------


@dataclass
class Report:
    """What is printed as it is measured, and the targets and notes printed at the end."""

    targets: list[tuple[str, str, str, bool | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, measure: str, value: str, target: str = "", verdict: str = "") -> None:
        print(f"  {measure:<54} {value:>30}  {target:<12} {verdict}", flush=True)

    def section(self, title: str) -> None:
        print(f"\n{title}", flush=True)

    def target(self, name: str, target: str, measured: str, met: bool | None) -> None:
        self.targets.append((name, target, measured, met))


@dataclass(frozen=True)
class Took:
    """A timed run: wall-clock seconds, and this process's CPU seconds in it (less when it waited)."""

    wall: float
    cpu: float

    @classmethod
    def since(cls, wall: float, cpu: float) -> Took:
        return cls(time.perf_counter() - wall, time.process_time() - cpu)


def clocks() -> tuple[float, float]:
    gc.collect()
    return time.perf_counter(), time.process_time()


def rates(count: int, took: Took) -> str:
    """Per wall-clock second, and per CPU second of the measured process: ``N/s (CPU M/s)``."""
    return f"{fmt_rate(per_second(count, took.wall))} (CPU {fmt_rate(per_second(count, took.cpu))})"


def per_second(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def fmt_rate(value: float, unit: str = "/s") -> str:
    return f"{value:,.0f}{unit}"


def fmt_met(met: bool) -> str:
    return "met" if met else "MISSED"


# --- inputs --------------------------------------------------------------------------------------


def database_path(given: str | None, report: Report) -> Path:
    """The compiled lists: --categories, else var/categories.aupcat, else built under bench/.cache/."""
    if given:
        return Path(given)
    path = default_database_path()
    if path.is_file():
        return path
    path = CACHE / "categories.aupcat"
    if not path.is_file():
        print(f"building the category database into {path} (make categories builds var/'s) ...", flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "aupguard.engine.web.compile", "--out", str(path)]
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=CHILD_ENV)
        report.notes.append(f"the category database was built for this run into {path}")
    return path


def compiled(pack_id: str) -> CompiledPack:
    return compile_pack(load_pack(resolve_pack(pack_id)))


@dataclass(frozen=True)
class Day:
    """What the in-process measures read: the requests with their times, and the people."""

    corpus: web_corpus.WebCorpus
    files: web_corpus.Files
    people: People
    requests: list[tuple[str, str, dt.datetime]]  # (url, user lower-cased, time in the pack's zone)
    log_lines: list[str]
    # The same requests as columns, times in epoch seconds (what WebGuard takes)
    urls: list[str]
    users: list[str]
    whens: list[float]


def read_day(count: int, seed: int) -> Day:
    corpus, files, generated = web_corpus.load(count, seed)
    if generated:
        print(f"generated the corpus into {files.folder}", flush=True)
    zone = ZoneInfo("Europe/London")
    people = People(None, read_directory(files.directory))
    requests = [(r.url, r.user.lower(), dt.datetime.fromtimestamp(r.time, zone)) for r in corpus.requests]
    log_lines = files.access_log.read_text(encoding="ascii").splitlines(keepends=True)
    urls = [r.url for r in corpus.requests]
    users = [r.user.lower() for r in corpus.requests]
    whens = [float(r.time) for r in corpus.requests]
    return Day(corpus, files, people, requests, log_lines, urls, users, whens)


def roles_function(people: People, default: tuple[str, ...] = ("staff",)) -> Callable[[str], tuple[str, ...]]:
    """A user's roles, as the helper and `aupguard scan` work them out (the directory, else staff)."""

    def roles_of(user: str) -> tuple[str, ...]:
        member = people.staff(user) if user else None
        return member.roles if member is not None and member.roles else default

    return roles_of


# --- 1. the database -----------------------------------------------------------------------------

_FRESH_PROCESS = r"""
import json, resource, sys, time
def peak():
    # VmHWM, not getrusage's ru_maxrss: that one starts from the parent's peak (see bench/web.py)
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
def resident():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1048576
out = {"start_mb": peak()}
t0 = time.perf_counter()
from aupguard.engine.web.categories import CategoryDB
out["import_s"] = time.perf_counter() - t0
out["import_mb"] = peak()
t0 = time.perf_counter()
db = CategoryDB.load(sys.argv[1])
out["load_s"] = time.perf_counter() - t0
out["load_mb"] = peak()
out["load_resident_mb"] = resident()
if len(sys.argv) > 2:
    with open(sys.argv[2], encoding="ascii") as f:
        urls = [line.split()[6] for line in f]
    categories = db.categories
    t0 = time.perf_counter()
    for url in urls:
        categories(url)
    out["lookups"] = len(urls)
    out["lookups_s"] = time.perf_counter() - t0
    out["lookups_mb"] = peak()
    out["lookups_resident_mb"] = resident()
print(json.dumps(out))
"""


def fresh_process(db: Path, log: Path | None = None) -> dict[str, float]:
    args = [sys.executable, "-c", _FRESH_PROCESS, str(db), *([str(log)] if log else [])]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True, env=CHILD_ENV)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def measure_database(db_path: Path, day: Day, report: Report) -> None:
    report.section("Category database (the compiled lists)")
    size = db_path.stat().st_size
    with CategoryDB.load(db_path) as db:
        info = db.info()
    counts = info["counts"]
    report.add(
        "file",
        f"{size / 1e6:.1f} MB",
        "",
        str(db_path.relative_to(ROOT)) if db_path.is_relative_to(ROOT) else "",
    )
    report.add("names (domains + waypoints), URL entries", f"{counts['names']:,} + {counts['url_entries']:,}")
    cold = [fresh_process(db_path) for _ in range(3)]
    cold_load = statistics.median(c["load_s"] for c in cold)
    warm = []
    for _ in range(LOAD_REPEATS):
        start = time.perf_counter()
        CategoryDB.load(db_path).close()
        warm.append(time.perf_counter() - start)
    warm_load = statistics.median(warm)
    met = cold_load < TARGET_LOAD_SECONDS
    report.add(
        "load, in a fresh process (median of 3)", f"{cold_load * 1e3:.2f} ms", "< 200 ms", fmt_met(met)
    )
    report.add(f"load, in this process (median of {LOAD_REPEATS})", f"{warm_load * 1e3:.2f} ms")
    report.add(
        "import of aupguard.engine.web.categories",
        f"{statistics.median(c['import_s'] for c in cold) * 1e3:.0f} ms",
    )
    report.target("database load", "< 0.2 s", f"{cold_load * 1e3:.2f} ms", met)
    with_lookups = fresh_process(db_path, day.files.access_log)
    load_mb = with_lookups["load_mb"]
    met_mb = load_mb < TARGET_RESIDENT_MB
    report.add("peak resident, fresh process: Python + import", f"{with_lookups['import_mb']:.1f} MB")
    report.add("peak resident, fresh process: after load", f"{load_mb:.1f} MB", "< 100 MB", fmt_met(met_mb))
    lookups = int(with_lookups["lookups"])
    after = with_lookups["lookups_mb"]
    report.add(
        f"peak resident after {lookups:,} lookups (pages touched)",
        f"{after:.1f} MB",
        "< 100 MB",
        fmt_met(after < TARGET_RESIDENT_MB),
    )
    report.target(
        "database resident",
        "< 100 MB",
        f"{load_mb:.1f} MB after load, {after:.1f} MB after the day",
        met_mb and after < TARGET_RESIDENT_MB,
    )


# --- 2. in-process decisions ---------------------------------------------------------------------


def decide_day(
    pack: CompiledPack, day: Day, db_path: Path, *, batch: bool = False
) -> tuple[Took, list[Any], dict[str, Any]]:
    """(time, decisions, cache sizes): the helper's decision for every request, caches cold.

    `WebGuard.decide(url, user, time)` per request (or `decide_many` over the day's columns with
    `batch`): the URL's host and categories, the user's roles from the directory, the decision at
    the request's own time, as the Squid helper and the log scan decide.
    """
    db = CategoryDB.load(db_path)
    guard = WebGuard(pack, CheckContext(at=day.requests[0][2], people=day.people), db)
    urls, users, whens = day.urls, day.users, day.whens
    wall, cpu = clocks()
    if batch:
        decisions = guard.decide_many(urls, users, whens)
    else:
        decide = guard.decide
        decisions = [decide(url, user, when) for url, user, when in zip(urls, users, whens, strict=True)]
    took = Took.since(wall, cpu)
    sizes = {"requests": len(guard._requests), "hosts": len(guard._free_hosts) + len(guard._path_hosts)}
    db.close()
    return took, decisions, sizes


def decide_day_before(pack: CompiledPack, day: Day, db_path: Path) -> tuple[Took, list[Any]]:
    """The decision path as it was before issue 4's rework (split_url + db.categories +
    UrlChecker.check + the roles, a datetime per request), for the before/after in one run."""
    db = CategoryDB.load(db_path)
    checker = UrlChecker(pack, CheckContext(at=day.requests[0][2], people=day.people))
    categories, check, roles_of = db.categories, checker.check, roles_function(day.people)
    decisions: list[Any] = []
    append = decisions.append
    wall, cpu = clocks()
    for url, user, at in day.requests:
        host, path = split_url(url)
        append(check(UrlRequest(host, path, roles_of(user), user), categories(url), at))
    took = Took.since(wall, cpu)
    db.close()
    return took, decisions


def best(runs: int, measure: Callable[[], tuple[Took, Any]]) -> tuple[Took, Any]:
    """The fastest (wall clock) of `runs` calls of `measure`, which returns (time, result)."""
    results = [measure() for _ in range(runs)]
    return min(results, key=lambda r: r[0].wall)


def measure_decisions(day: Day, db_path: Path, runs: int, report: Report) -> dict[str, list[Any]]:
    report.section("In-process decisions (WebGuard: URL, user, time -> decision), one core, caches cold")
    n = len(day.requests)
    out: dict[str, list[Any]] = {}
    speeds: dict[str, float] = {}
    batch_speeds: dict[str, float] = {}
    for pack_id in PACKS:
        pack = compiled(pack_id)
        decide_day(pack, day, db_path)  # warm-up: imports, the pack's first decisions, the page cache
        took, (decisions, sizes) = best(runs, functools.partial(_decide, pack, day, db_path, False))
        speeds[pack_id] = per_second(n, took.wall)
        refused = sum(1 for d in decisions if d.verdict in ("block", "hold"))
        met = speeds[pack_id] >= TARGET_DECISIONS
        report.add(
            f"{pack_id}: decisions/s, decide() per request (best of {runs})",
            rates(n, took),
            "≥ 500,000/s",
            f"{fmt_met(met)} ({speeds[pack_id] / TARGET_DECISIONS:.0%} of it)",
        )
        report.add(f"{pack_id}: µs per decision; refused", f"{took.wall / n * 1e6:.2f} µs; {refused:,}")
        report.add(f"{pack_id}: URLs, hosts remembered", f"{sizes['requests']:,}, {sizes['hosts']:,}")
        took, (batched, _sizes) = best(runs, functools.partial(_decide, pack, day, db_path, True))
        batch_speeds[pack_id] = per_second(n, took.wall)
        met = batch_speeds[pack_id] >= TARGET_DECISIONS
        report.add(
            f"{pack_id}: decisions/s, decide_many() over the day (best of {runs})",
            rates(n, took),
            "≥ 500,000/s",
            f"{fmt_met(met)} ({batch_speeds[pack_id] / TARGET_DECISIONS:.0%} of it)",
        )
        if batched != decisions:
            report.notes.append(f"{pack_id}: decide_many and decide disagree")
        out[pack_id] = decisions
    report.target(
        "in-process decisions",
        "≥ 500,000/s",
        ", ".join(f"{p} {fmt_rate(r)} ({fmt_rate(batch_speeds[p])} batched)" for p, r in speeds.items()),
        min(max(speeds[p], batch_speeds[p]) for p in speeds) >= TARGET_DECISIONS,
    )

    # The same day through the path before issue 4's rework, and a second pass through warm caches.
    pack = compiled(HELPER_PACK)
    took, before = best(runs, functools.partial(decide_day_before, pack, day, db_path))
    report.add(f"  {HELPER_PACK}: the path before the rework (split_url, UrlChecker)", rates(n, took))
    if before != out[HELPER_PACK]:
        report.notes.append(f"{HELPER_PACK}: the path before the rework decides differently")
    db = CategoryDB.load(db_path)
    guard = WebGuard(pack, CheckContext(at=day.requests[0][2], people=day.people), db)

    def again() -> list[Any]:
        decide = guard.decide
        return [decide(u, user, t) for u, user, t in zip(day.urls, day.users, day.whens, strict=True)]

    again()
    took, _ = best(runs, lambda: _timed_loop(again))
    db.close()
    report.add(f"  {HELPER_PACK}: a second pass through the same caches", rates(n, took))
    return out


def _decide(
    pack: CompiledPack, day: Day, db_path: Path, batch: bool
) -> tuple[Took, tuple[list[Any], dict[str, Any]]]:
    took, decisions, sizes = decide_day(pack, day, db_path, batch=batch)
    return took, (decisions, sizes)


def _timed_loop(run: Callable[[], Any]) -> tuple[Took, Any]:
    wall, cpu = clocks()
    result = run()
    return Took.since(wall, cpu), result


# --- 3. through a pipe: the helper and squidGuard ------------------------------------------------


@dataclass
class PipeRun:
    seconds: float  # spawn to the last answer (stdout closed)
    answers: bytes
    peak_mb: float  # the child's peak resident memory (VmHWM, sampled while it runs)
    cpu_seconds: float  # the child's user + system time
    status: int
    stderr: str


def pipe_through(cmd: Sequence[str], data: bytes, child_cpu: int | None) -> PipeRun:
    """Spawn `cmd`, write `data` to its stdin from a thread (pipelined), read stdout to its end."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=ROOT, bufsize=0, env=CHILD_ENV
        )
        pin(child_cpu, proc.pid)
        assert proc.stdin is not None and proc.stdout is not None  # noqa: S101 (Popen with PIPEs)
        stdin = proc.stdin

        def feed() -> None:
            view = memoryview(data)
            try:
                while view:
                    view = view[os.write(stdin.fileno(), view[: 1 << 16]) :]
            except BrokenPipeError:
                pass
            finally:
                stdin.close()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        chunks = []
        sampled = 0.0
        peak: float | None = None
        fd = proc.stdout.fileno()
        while chunk := os.read(fd, 1 << 20):
            now = time.perf_counter()
            if now - sampled > 0.05:  # the child's peak, read while it runs (see peak_mb)
                peak, sampled = peak_mb(proc.pid) or peak, now
            chunks.append(chunk)
        end = time.perf_counter()
        writer.join()
        proc.stdout.close()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return PipeRun(
        end - start,
        b"".join(chunks),
        peak or 0.0,
        usage.ru_utime + usage.ru_stime,
        proc.returncode,
        stderr,
    )


def windowed(cmd: Sequence[str], lines: list[bytes], window: int, child_cpu: int | None) -> float:
    """Seconds to answer every line with at most `window` requests in flight, as Squid sends them."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, bufsize=0, env=CHILD_ENV
    )
    pin(child_cpu, proc.pid)
    assert proc.stdin is not None and proc.stdout is not None  # noqa: S101 (Popen with PIPEs)
    out, inp = proc.stdout.fileno(), proc.stdin.fileno()
    sent = min(window, len(lines))
    os.write(inp, b"".join(lines[:sent]))
    answered = 0
    while answered < len(lines):
        chunk = os.read(out, 1 << 16)
        if not chunk:
            break
        done = chunk.count(b"\n")
        answered += done
        if sent < len(lines):
            more = lines[sent : sent + done]
            sent += len(more)
            os.write(inp, b"".join(more))
    seconds = time.perf_counter() - start
    proc.stdin.close()
    proc.stdout.close()
    proc.wait()
    return seconds


def startup(cmd: Sequence[str], line: bytes, child_cpu: int | None) -> float:
    """Seconds from spawning `cmd` to its answer to one request line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, bufsize=0, env=CHILD_ENV
    )
    pin(child_cpu, proc.pid)
    assert proc.stdin is not None and proc.stdout is not None  # noqa: S101 (Popen with PIPEs)
    os.write(proc.stdin.fileno(), line)
    proc.stdout.read(1)
    seconds = time.perf_counter() - start
    proc.stdin.close()
    proc.stdout.read()
    proc.stdout.close()
    proc.wait()
    return seconds


def helper_command(db_path: Path, day: Day, *, profile: Path | None = None) -> list[str]:
    prefix = [sys.executable, *(["-m", "cProfile", "-o", str(profile)] if profile else [])]
    return [
        *prefix,
        "-m",
        "aupguard",
        "squid-helper",
        "--policy",
        HELPER_PACK,
        "--categories",
        str(db_path),
        "--directory",
        str(day.files.directory),
    ]


def refused_by_helper(answers: bytes, count: int) -> tuple[list[bool], Counter[str]]:
    """Per request (by channel ID 1..count): whether the helper refused it; and the answers' kinds."""
    refused = [False] * count
    kinds: Counter[str] = Counter()
    for line in answers.splitlines():
        channel, _, rest = line.partition(b" ")
        result = rest.split(b" ", 1)[0].decode()
        kinds[result] += 1
        if result == "OK":
            refused[int(channel) - 1] = True
    return refused, kinds


@dataclass
class HelperResult:
    rate: float  # requests per wall-clock second, end to end
    cpu_rate: float  # requests per CPU second of the helper
    refused: list[bool]


def measure_helper(
    day: Day, db_path: Path, runs: int, cpus_: tuple[int | None, int | None], report: Report
) -> HelperResult:
    report.section(
        f"The helper through Squid's protocol: {HELPER_PACK}, {len(day.requests):,} pipelined requests"
    )
    quiet, other = cpus_
    pin(other)  # the client; the helper gets the quiet CPU
    data = day.files.helper_input.read_bytes()
    n = len(day.requests)
    cmd = helper_command(db_path, day)
    first_line = data[: data.index(b"\n") + 1]
    start_times = [startup(cmd, first_line, quiet) for _ in range(3)]
    started = statistics.median(start_times)
    runs_ = [pipe_through(cmd, data, quiet) for _ in range(runs)]
    run = min(runs_, key=lambda r: r.seconds)
    refused, kinds = refused_by_helper(run.answers, n)
    answered = sum(kinds.values())
    rate = per_second(n, run.seconds)
    report.add(
        f"requests/s end to end, startup included (best of {runs})",
        rates(n, Took(run.seconds, run.cpu_seconds)),
    )
    report.add("requests/s steady (startup taken out)", fmt_rate(per_second(n, run.seconds - started)))
    report.add("startup: spawn to the first answer (median of 3)", f"{started * 1e3:.0f} ms")
    report.add("seconds end to end; helper CPU seconds", f"{run.seconds:.2f} s; {run.cpu_seconds:.2f} s")
    report.add("answers: OK (refused) / ERR / BH", f"{kinds['OK']:,} / {kinds['ERR']:,} / {kinds['BH']:,}")
    report.add("helper peak resident", f"{run.peak_mb:.1f} MB")
    if answered != n or run.status != 0:
        report.notes.append(
            f"helper: {answered:,} answers to {n:,} requests, exit status {run.status}: {run.stderr[-500:]}"
        )
    lines = data.splitlines(keepends=True)
    seconds = windowed(cmd, lines, WINDOW, quiet)
    report.add(f"requests/s, {WINDOW} in flight (concurrency=50; one run)", fmt_rate(per_second(n, seconds)))
    return HelperResult(rate, per_second(n, run.cpu_seconds), refused)


# --- squidGuard ----------------------------------------------------------------------------------


def blocked_categories(pack: CompiledPack, role: str = "staff") -> set[str]:
    """The aupguard categories `pack` refuses for `role` (what the squidGuard ACL must refuse)."""
    settings = pack.pack.settings
    blocked = set(settings.blocked_categories.get(ALL_ROLES, ())) | set(
        settings.blocked_categories.get(role, ())
    )
    for rule in pack.all_rules.get("web.blocked_category", ()):
        roles = rule.params.get("roles")
        if roles and isinstance(roles, tuple) and ALL_ROLES not in roles and role not in roles:
            continue
        names = rule.params.get("categories")
        if isinstance(names, tuple):
            blocked.update(str(n) for n in names)
    if pack.rule("web.filter_bypass") is not None:
        blocked.add("filter_bypass")
    if pack.rule("web.unapproved_ai") is not None:
        blocked.add("ai")
    return blocked


@dataclass(frozen=True)
class Dest:
    name: str
    domains: Path | None
    urls: Path | None
    categories: frozenset[str]


def source_lists() -> list[Dest]:
    """Every UT1 list and Sinfonietta hosts file, with the aupguard categories the mapping gives it."""
    mapping: dict[tuple[str, str], frozenset[str]] = {}
    with open(ROOT / "data" / "categories" / "ut1.csv", encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            mapping[(row["source"], row["list"])] = frozenset(row["categories"].split())
    dests = []
    for folder in sorted(p for p in (ROOT / "data" / "ut1").iterdir() if p.is_dir()):
        domains, urls = folder / "domains", folder / "urls"
        if domains.exists() or urls.exists():
            dests.append(
                Dest(
                    "ut1_" + re.sub(r"\W", "_", folder.name),
                    domains if domains.exists() else None,
                    urls if urls.exists() else None,
                    mapping.get(("ut1", folder.name), frozenset()),
                )
            )
    for hosts in sorted((ROOT / "data" / "sinfonietta").glob("*-hosts")):
        name = "sinf_" + re.sub(r"\W", "_", hosts.name)
        dests.append(Dest(name, hosts, None, mapping.get(("sinfonietta", hosts.name), frozenset())))
    return dests


def _hosts_to_domains(path: Path) -> list[str]:
    out: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and parts[0] in web_corpus.HOSTS_FILE_ADDRESSES:
            out.extend(p.lower() for p in parts[1:])
    return out


def _domain_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [d for line in lines if (d := line.split("#", 1)[0].strip().lower())]


def without_redundant(domains: list[str]) -> list[str]:
    """The entries not under another entry of the same list, as squidGuard's `sgclean` leaves them.

    squidGuard's lookup finds the one database key nearest the host, so a list holding both
    ``example.com`` and ``www.example.com`` misses ``cdn.example.com``; its tools remove such
    redundant entries first, and so does the benchmark (both lists then mean the same).
    """
    listed = set(domains)
    kept = []
    for domain in sorted(listed):
        labels = domain.split(".")
        if not any(".".join(labels[i:]) in listed for i in range(1, len(labels) - 1)):
            kept.append(domain)
    return kept


@dataclass
class SquidGuardSetup:
    conf: Path
    all_lists_conf: Path
    refused: list[str]  # dest names the ACL refuses
    lists: int
    domains: int  # domain lines in the lists
    kept: int  # after taking out the redundant ones (sgclean)
    build_seconds: float | None  # None: the databases were already built


def setup_squidguard(pack: CompiledPack, exe: str) -> SquidGuardSetup:
    """squidGuard's lists, databases (`squidGuard -C all`) and two configurations, under bench/.cache/."""
    dests = source_lists()
    blocked = blocked_categories(pack)
    db_dir, log_dir = SQUIDGUARD_DIR / "db", SQUIDGUARD_DIR / "log"
    # What the databases are built from: the lists, the pack's own lists and the configurations.
    digest = hashlib.sha256(f"setup {SQUIDGUARD_SETUP}".encode())
    for dest in dests:
        for path in (dest.domains, dest.urls):
            if path is not None:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    allowed_domains = sorted(pack.allowed.domains)
    allowed_urls = sorted(h + p for h, ps in pack.allowed.prefixes.items() for p in ps)
    illegal = sorted(pack.illegal.domains) + sorted(
        h + p for h, ps in pack.illegal.prefixes.items() for p in ps
    )
    digest.update(json.dumps([allowed_domains, allowed_urls, illegal]).encode())
    stamp = SQUIDGUARD_DIR / "built"

    special = [("essentials", allowed_domains, allowed_urls)]
    if illegal:
        special.insert(0, ("illegal", [e for e in illegal if "/" not in e], [e for e in illegal if "/" in e]))
    acl_refused = [d.name for d in dests if d.categories & blocked]

    def conf_text(refused: list[str]) -> str:
        out = [f"dbhome {db_dir}", f"logdir {log_dir}", ""]
        for name, domains, urls in special:
            out.append(f"dest {name} {{")
            if domains:
                out.append(f"\tdomainlist {name}/domains")
            if urls:
                out.append(f"\turllist {name}/urls")
            out += ["}", ""]
        for d in dests:
            out.append(f"dest {d.name} {{")
            if d.domains is not None:
                out.append(f"\tdomainlist {d.name}/domains")
            if d.urls is not None:
                out.append(f"\turllist {d.name}/urls")
            out += ["}", ""]
        passes = (
            (["!illegal"] if illegal else []) + ["essentials"] + [f"!{name}" for name in refused] + ["all"]
        )
        out += [
            "acl {",
            "\tdefault {",
            "\t\tpass " + " ".join(passes),
            "\t\tredirect http://127.0.0.1/blocked?c=%t",
            "\t}",
            "}",
            "",
        ]
        return "\n".join(out)

    conf = SQUIDGUARD_DIR / "squidGuard.conf"
    all_lists_conf = SQUIDGUARD_DIR / "squidGuard-every-list.conf"
    digest.update(conf_text(acl_refused).encode() + conf_text([d.name for d in dests]).encode())
    key = digest.hexdigest()
    if stamp.exists() and stamp.read_text() == key and conf.exists():
        counts = json.loads((SQUIDGUARD_DIR / "counts.json").read_text())
        return SquidGuardSetup(conf, all_lists_conf, acl_refused, len(dests), counts[0], counts[1], None)
    if SQUIDGUARD_DIR.exists():
        shutil.rmtree(SQUIDGUARD_DIR)
    log_dir.mkdir(parents=True)
    for name, domain_entries, url_entries in special:
        (db_dir / name).mkdir(parents=True)
        if domain_entries:
            (db_dir / name / "domains").write_text("\n".join(without_redundant(domain_entries)) + "\n")
        if url_entries:
            (db_dir / name / "urls").write_text("\n".join(url_entries) + "\n")
    lines = kept = 0
    for d in dests:
        (db_dir / d.name).mkdir(parents=True)
        if d.domains is not None:
            raw = _hosts_to_domains(d.domains) if d.name.startswith("sinf_") else _domain_lines(d.domains)
            clean = without_redundant(raw)
            lines, kept = lines + len(raw), kept + len(clean)
            (db_dir / d.name / "domains").write_text("\n".join(clean) + "\n")
        if d.urls is not None:
            shutil.copyfile(d.urls, db_dir / d.name / "urls")
    conf.write_text(conf_text(acl_refused))
    all_lists_conf.write_text(conf_text([d.name for d in dests]))
    print(f"building squidGuard's databases under {db_dir} (squidGuard -C all, not timed) ...", flush=True)
    start = time.perf_counter()
    subprocess.run([exe, "-c", str(all_lists_conf), "-C", "all"], check=True, capture_output=True)
    built = time.perf_counter() - start
    (SQUIDGUARD_DIR / "counts.json").write_text(json.dumps([lines, kept]))
    stamp.write_text(key)
    return SquidGuardSetup(conf, all_lists_conf, acl_refused, len(dests), lines, kept, built)


def squidguard_problems(log_dir: Path) -> list[str]:
    problems = []
    for log in log_dir.glob("*.log"):
        for line in log.read_text(errors="replace").splitlines():
            if "emergency" in line.lower() or "ERROR" in line or "FATAL" in line:
                problems.append(line)
    return problems


@dataclass
class BaselineResult:
    rate: float
    refused: list[bool]


def measure_squidguard(
    day: Day, runs: int, cpus_: tuple[int | None, int | None], report: Report, helper: HelperResult | None
) -> BaselineResult | None:
    report.section("Baseline: squidGuard on the same lists and the same requests")
    exe = shutil.which("squidGuard")
    if exe is None:
        message = "squidGuard is not installed (apt-get install -y squidguard): no baseline, no ratio"
        report.add("squidGuard", "not installed")
        report.notes.append(message)
        report.target("helper / squidGuard", "≥ 10×", "no baseline (squidGuard not installed)", None)
        return None
    quiet, other = cpus_
    pin(other)  # the client; squidGuard gets the quiet CPU
    pack = compiled(HELPER_PACK)
    setup = setup_squidguard(pack, exe)
    log_dir = SQUIDGUARD_DIR / "log"
    for log in log_dir.glob("*.log"):
        log.unlink()
    if setup.build_seconds is not None:
        report.add("databases built (squidGuard -C all, not timed)", f"{setup.build_seconds:.1f} s")
    report.add(
        "lists; domain lines; without redundant ones (sgclean)",
        f"{setup.lists}; {setup.domains:,}; {setup.kept:,}",
    )
    report.add("lists the ACL refuses (wells, staff)", f"{len(setup.refused)}")
    data = day.files.squidguard_input.read_bytes()
    n = len(day.requests)
    cmd = [exe, "-c", str(setup.conf)]
    started = statistics.median(startup(cmd, data[: data.index(b"\n") + 1], quiet) for _ in range(3))
    runs_ = [pipe_through(cmd, data, quiet) for _ in range(runs)]
    run = min(runs_, key=lambda r: r.seconds)
    answers = run.answers.splitlines()
    refused = [a.startswith(b"OK") for a in answers]
    rate = per_second(n, run.seconds)
    report.add(
        f"requests/s end to end, startup included (best of {runs})",
        rates(n, Took(run.seconds, run.cpu_seconds)),
        "baseline",
    )
    report.add("startup: spawn to the first answer (median of 3)", f"{started * 1e3:.0f} ms")
    report.add("seconds end to end; squidGuard CPU seconds", f"{run.seconds:.2f} s; {run.cpu_seconds:.2f} s")
    report.add(
        "answers: refused (OK rewrite-url) / passed (ERR)",
        f"{sum(refused):,} / {len(answers) - sum(refused):,}",
    )
    report.add("squidGuard peak resident", f"{run.peak_mb:.1f} MB")
    problems = squidguard_problems(log_dir)
    if len(answers) != n or problems:
        report.notes.append(f"squidGuard: {len(answers):,} answers to {n:,} requests; log: {problems[:3]}")
    every = pipe_through([exe, "-c", str(setup.all_lists_conf)], data, quiet)
    report.add("requests/s with every list in the ACL (one run)", fmt_rate(per_second(n, every.seconds)))
    if helper is not None:
        ratio = helper.rate / rate
        met = ratio >= TARGET_HELPER_RATIO
        report.add("helper / squidGuard, end to end", f"{ratio:.2f}×", "≥ 10×", fmt_met(met))
        cpu_ratio = helper.cpu_rate / per_second(n, run.cpu_seconds)
        report.add("helper / squidGuard, per CPU second of each", f"{cpu_ratio:.2f}×")
        report.target(
            "helper / squidGuard", "≥ 10×", f"{ratio:.2f}× ({fmt_rate(helper.rate)} vs {fmt_rate(rate)})", met
        )
        if len(refused) == n:
            agree = sum(1 for a, b in zip(helper.refused, refused, strict=True) if a == b)
            report.add("same verdict as the helper (refuse or pass)", f"{agree / n:.2%}")
            only_helper = Counter(
                _host(day.requests[i][0]) for i in range(n) if helper.refused[i] and not refused[i]
            )
            only_sg = Counter(
                _host(day.requests[i][0]) for i in range(n) if refused[i] and not helper.refused[i]
            )
            report.add(
                "  refused by the helper only; by squidGuard only",
                f"{sum(only_helper.values()):,}; {sum(only_sg.values()):,}",
            )
            if only_helper:
                report.notes.append("refused by the helper only (top hosts): " + _top(only_helper))
            if only_sg:
                report.notes.append("refused by squidGuard only (top hosts): " + _top(only_sg))
    return BaselineResult(rate, refused)


def _host(url: str) -> str:
    try:
        return split_url(url)[0]
    except ValueError:
        return url


def _top(counter: Counter[str], k: int = 6) -> str:
    return ", ".join(f"{h} ({c:,})" for h, c in counter.most_common(k))


# --- 4. log scanning -----------------------------------------------------------------------------


SCAN_BATCH = 8192  # lines fed at once, about what `aupguard scan` reads at once (1 MB)


def scan_day(pack: CompiledPack, day: Day, db_path: Path) -> tuple[Took, Any]:
    with CategoryDB.load(db_path) as db:
        ctx = CheckContext(at=day.requests[0][2], people=day.people)
        scanner = SquidLogScanner(pack, ctx, db)
        lines = day.log_lines
        wall, cpu = clocks()
        for start in range(0, len(lines), SCAN_BATCH):
            scanner.feed_lines(lines[start : start + SCAN_BATCH], "access.log", start + 1)
        report = scanner.finish()
        return Took.since(wall, cpu), report


def measure_scan(
    day: Day, db_path: Path, runs: int, cpus_: tuple[int | None, int | None], report: Report
) -> None:
    n = len(day.log_lines)
    report.section(f"Log scanning: the day's access.log, {n:,} lines")
    quiet, other = cpus_
    pin(quiet)
    speeds: dict[str, float] = {}
    for pack_id in PACKS:
        pack = compiled(pack_id)
        scan_day(pack, day, db_path)
        took, result = best(runs, functools.partial(scan_day, pack, day, db_path))
        speeds[pack_id] = per_second(n, took.wall)
        met = speeds[pack_id] >= TARGET_SCAN
        report.add(
            f"{pack_id}: lines/s in-process (best of {runs})",
            rates(n, took),
            "≥ 500,000/s",
            f"{fmt_met(met)} ({speeds[pack_id] / TARGET_SCAN:.0%} of it)",
        )
        report.add(
            f"{pack_id}: refused by policy; findings; malformed",
            f"{result.refused_by_policy:,}; {len(result.findings):,}; {result.malformed:,}",
        )
    cmd = [
        sys.executable,
        "-m",
        "aupguard",
        "scan",
        "squid-log",
        "--policy",
        SCAN_CLI_PACK,
        "--categories",
        str(db_path),
        "--directory",
        str(day.files.directory),
    ]
    empty = CACHE / "empty-access.log"
    empty.write_text("")

    def run_cli(path: Path) -> tuple[Took, str]:
        """(wall-clock and the command's own CPU seconds, its output)."""
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, str(path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=CHILD_ENV
        )
        pin(quiet, proc.pid)
        assert proc.stdout is not None  # noqa: S101 (Popen with a PIPE)
        out = proc.stdout.read()
        proc.stdout.close()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        took = Took(time.perf_counter() - start, usage.ru_utime + usage.ru_stime)
        return took, out.decode("utf-8", "replace")

    pin(other)
    started = statistics.median(run_cli(empty)[0].wall for _ in range(3))
    took, out = best(runs, lambda: run_cli(day.files.access_log))
    cli_rate = per_second(n, took.wall)
    report.add(
        f"aupguard scan squid-log ({SCAN_CLI_PACK}), end to end (best of {runs})",
        rates(n, took),
        "≥ 500,000/s",
        fmt_met(cli_rate >= TARGET_SCAN),
    )
    report.add("  startup (an empty log, median of 3)", f"{started * 1e3:.0f} ms")
    report.add("  lines/s with startup taken out", fmt_rate(per_second(n, took.wall - started)))
    first = out.splitlines()[0] if out else "(no output)"
    report.add("  its summary line", "")
    print(f"    {first.split(': ', 1)[-1]}")
    report.target(
        "log scanning",
        "≥ 500,000 lines/s",
        ", ".join(f"{p} {fmt_rate(r)}" for p, r in speeds.items()) + f"; CLI {fmt_rate(cli_rate)}",
        min(speeds.values()) >= TARGET_SCAN,
    )


# --- profiles ------------------------------------------------------------------------------------


def print_profile(title: str, stats: pstats.Stats, top: int = 18, key: str = "tottime") -> None:
    stream = io.StringIO()
    stats.stream = stream  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats(key).print_stats(top)
    text = stream.getvalue()
    body = text[text.find("   ncalls") :] if "   ncalls" in text else text
    head = re.search(r"([\d,]+) function calls.* in ([\d.]+) seconds", text)
    print(f"\n{title}" + (f": {head.group(1)} calls, {head.group(2)} s (profiled)" if head else ""))
    print(body.rstrip())


def profiles(day: Day, db_path: Path) -> None:
    print("\n\nProfiles (cProfile, sorted by own time; profiling slows Python code about twofold)")
    pack = compiled(HELPER_PACK)
    profiler = cProfile.Profile()
    profiler.runcall(decide_day, pack, day, db_path)
    print_profile(f"In-process decision path ({HELPER_PACK}, one pass, caches cold)", pstats.Stats(profiler))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "helper.prof"
        run = pipe_through(
            helper_command(db_path, day, profile=out), day.files.helper_input.read_bytes(), None
        )
        if out.exists():
            stats = pstats.Stats(str(out))
            print_profile(f"The helper (squid-helper, {HELPER_PACK}), startup and loop", stats)
            print_profile("The helper, by cumulative time", stats, 32, "cumulative")
        else:
            print(f"the helper wrote no profile (exit status {run.status}): {run.stderr[-300:]}")
    profiler = cProfile.Profile()
    profiler.runcall(scan_day, compiled(SCAN_CLI_PACK), day, db_path)
    print_profile(f"In-process log scan ({SCAN_CLI_PACK})", pstats.Stats(profiler))


# --- the run -------------------------------------------------------------------------------------


def summary(report: Report) -> None:
    print("\n\nTargets (issue 4)")
    width = max(len(t[0]) for t in report.targets) if report.targets else 10
    for name, target, measured, met in report.targets:
        verdict = "no baseline" if met is None else fmt_met(met)
        print(f"  {name:<{width}}  {target:<18} {verdict:<11} {measured}")
    for note in report.notes:
        print(f"  note: {note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=web_corpus.DEFAULT_COUNT,
        metavar="N",
        help="requests in the day (200,000)",
    )
    parser.add_argument("--seed", type=int, default=web_corpus.DEFAULT_SEED, metavar="S")
    parser.add_argument("--runs", type=int, default=3, metavar="N", help="timed runs per measure (3)")
    parser.add_argument(
        "--categories", metavar="FILE", help="the compiled lists (default var/categories.aupcat)"
    )
    parser.add_argument("--no-squidguard", action="store_true", help="skip the baseline")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print cProfile tops of the decision path, the helper and the scan",
    )
    args = parser.parse_args(argv)

    report = Report()
    quiet, other = cpus()
    print(
        f"aupguard web benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {cpu_model()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"squidGuard {squidguard_version() or 'not installed'}"
    )
    print(
        f"measured code on CPU {quiet} (the quieter), clients on CPU {other}; load average {load_average()}"
    )
    db_path = database_path(args.categories, report)
    day = read_day(args.requests, args.seed)
    # The day's requests and log lines (about 1.5 million objects) are the benchmark's, not the
    # measured code's: out of the garbage collector's generations, so that a collection during a
    # measured loop traverses what the guard or the scanner made; and the collector runs as the
    # helper and `aupguard scan` set it (`quiet_gc`), so that in-process means as in those processes.
    quiet_gc()
    s = day.corpus.summary()
    print(
        f"corpus: {s['requests']:,} requests ({s['distinct_urls']:,} distinct URLs, "
        f"{s['distinct_hosts']:,} hosts, "
        f"{s['users']:,} users; {s.get('form_connect', 0):,} CONNECT, {s.get('form_http', 0):,} http://, "
        f"{s.get('form_https', 0):,} https://) in {day.files.folder.relative_to(ROOT)}"
    )
    pin(quiet)
    measure_database(db_path, day, report)
    measure_decisions(day, db_path, args.runs, report)
    helper = measure_helper(day, db_path, args.runs, (quiet, other), report)
    if args.no_squidguard:
        report.target("helper / squidGuard", "≥ 10×", "not measured (--no-squidguard)", None)
    else:
        measure_squidguard(day, args.runs, (quiet, other), report, helper)
    measure_scan(day, db_path, args.runs, (quiet, other), report)
    summary(report)
    print(f"  load average at the end: {load_average()}")
    if args.profile:
        profiles(day, db_path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
