"""The helper's batch path and its remembered answers give the answer each line gets alone."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from aupguard.engine.approvals import Approval, Approvals
from aupguard.engine.checks.context import CheckContext, People
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.packs import load_pack
from aupguard.engine.people import read_directory
from aupguard.engine.web.categories import CategoryDB
from aupguard.squid import helper
from aupguard.squid.helper import SquidGuard, answer, replies, serve
from tests.conftest import PACKS

# Tuesday 1 December 2026, 17:00 in London: the end of working hours.
FIVE = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC).timestamp()
SCHOOL = "wells.redbridge.sch.uk"

LINES = [
    "1 http://casino.test/roulette 10.0.0.5 - GET -",
    "2 http://school.test/ 10.0.0.5 - GET -",
    "3 nordvpn.com:443 10.0.0.5 - CONNECT -",
    "4 garbage",
    "5 http://ttrockstars.com/play 10.0.0.5 - GET -",
    "6 http://exa%20mple.com/ 10.0.0.5 - GET -",
    "7 http://casino.test/roulette 10.0.0.9 - GET -",  # the same request from another address
    "8 http://casino.test/%7Eroulette 10.0.0.5 A.Khan%40wells.redbridge.sch.uk GET",
    "9 %2D 10.0.0.5 - GET",  # a URL that decodes to "-": no URL
    "10 http://casino.test/ 10.0.0.5 %2D GET",  # a user that decodes to "-": none
    "11\thttp://casino.test/ 10.0.0.5 - GET",  # a tab after the channel ID
    "12 http://casino.test/\t10.0.0.5\t-\tGET",
    "13 http://casino.test/ 10.0.0.5 - GET\r",
    "14 http://cåsino.test/ 10.0.0.5 - GET",
    "15  http://casino.test/ 10.0.0.5 - GET",  # two spaces
    "16 ",
    "17",
    "",
    "x1 http://casino.test/ 10.0.0.5 - GET",
    "18 http://casino.test/ 10.0.0.5 -",  # no method
    "19 www.facebook.com:443 10.0.0.5 - CONNECT",
    "20 http://casino.test/roulette 10.0.0.5 - GET -",
    "21 http://casino.test/\x1c10.0.0.5 - GET",  # whitespace to str.split(), not to bytes.split()
    "22 http://casino.test/ 10.0.0.5 \x1f GET",
]


def guard_for(db: Path, pack: CompiledPack | None = None, people: People | None = None) -> SquidGuard:
    compiled = pack or compile_pack(load_pack(PACKS / "wells.yaml"))
    ctx = CheckContext(at=dt.datetime.now(dt.UTC), people=people or People())
    return SquidGuard(compiled, ctx, CategoryDB.load(db), ("staff",))


@pytest.mark.parametrize("size", [1, 3, len(LINES)])
def test_a_batch_is_answered_as_each_line_alone(small_db: Path, size: int) -> None:
    alone = guard_for(small_db)
    expected = "".join(answer(alone, line, FIVE - 60) for line in LINES)
    batched = guard_for(small_db)
    answers: dict[bytes, bytes] = {}
    got = b""
    for _ in range(2):  # and again, from what the first pass remembered
        for start in range(0, len(LINES), size):
            chunk = [line.encode("utf-8") for line in LINES[start : start + size]]
            got += replies(batched, chunk, FIVE - 60, answers)
    assert got.decode("utf-8") == expected * 2
    assert b"x1 http" not in b"".join(answers)  # a channel ID that is not a number is not a key


def social_blocked() -> CompiledPack:
    """wonder, refusing social media in working hours (the pack warns): an answer that changes."""
    pack = compile_pack(load_pack(PACKS / "wonder.yaml"))
    rule = pack.rules["web.social_media_working_hours"]
    rules = MappingProxyType({**pack.rules, rule.check: replace(rule, action="block")})
    return replace(pack, rules=rules)


def run_helper(load: object, chunks: list[bytes], clock: object, between: object = None) -> list[str]:
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()

    def write() -> None:
        for i, chunk in enumerate(chunks):
            if i and callable(between):
                between()
            os.write(stdin_w, chunk)
            time.sleep(0.3)
        os.close(stdin_w)

    writer = threading.Thread(target=write)
    writer.start()
    previous, thresholds = signal.getsignal(signal.SIGHUP), gc.get_threshold()
    try:
        assert serve(load, stdin_r, stdout_w, clock) == 0  # type: ignore[arg-type]
    finally:  # serve() sets up the process for a helper: put this test process back as it was
        signal.signal(signal.SIGHUP, previous)
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        writer.join()
        os.close(stdin_r)
        os.close(stdout_w)
    with os.fdopen(stdout_r, "rb") as out:
        return out.read().decode("utf-8").splitlines()


def test_remembered_answers_end_with_working_hours(small_db: Path) -> None:
    guard = guard_for(small_db, social_blocked())
    times = iter([FIVE - 1, FIVE - 1e-6, FIVE - 1e-7, FIVE + 60, FIVE + 61])  # 1e-7: rounds to 17:00
    chunks = [f"{n} www.facebook.com:443 10.0.0.5 - CONNECT\n".encode() for n in range(1, 6)]
    replies_ = run_helper(lambda: guard, chunks, lambda: next(times))
    assert [r.split(" ", 2)[1] for r in replies_] == ["OK", "OK", "ERR", "ERR", "ERR"]


def test_a_reload_drops_what_was_remembered(small_db: Path, tmp_path: Path) -> None:
    """The directory changes a user's roles: after SIGHUP the helper answers by the new ones."""
    wells = compile_pack(load_pack(PACKS / "wells.yaml"))
    blocked = MappingProxyType({"governor": ("streaming",)})
    pack = compile_pack(
        replace(wells.pack, settings=replace(wells.pack.settings, blocked_categories=blocked))
    )
    staff = tmp_path / "staff.csv"
    header = "email,first_name,last_name,roles,school,line_manager,start_date,leave_date,personal_email,"
    staff.write_text(
        f"{header}personal_mobile,account_kind\ng.jones@{SCHOOL},Gwen,Jones,governor,Wells,,2020-09-01,,,,person\n"
    )
    loads = iter([People(None, read_directory(staff)), People()])
    line = f"youtube.com:443 10.0.0.5 g.jones@{SCHOOL} CONNECT\n"
    replies_ = run_helper(
        lambda: guard_for(small_db, pack, next(loads)),
        [f"1 {line}".encode(), f"2 {line}".encode()],
        lambda: FIVE - 3600,
        lambda: os.kill(os.getpid(), signal.SIGHUP),
    )
    assert [r.split(" ", 2)[1] for r in replies_] == ["OK", "ERR"]


def test_the_helper_reads_in_pieces(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper, "READ_SIZE", 7)  # lines split across reads
    guard = guard_for(small_db)
    data = "".join(f"{line}\n" for line in LINES if line).encode("utf-8")
    replies_ = run_helper(lambda: guard, [data[:50], data[50:]], lambda: FIVE - 60)
    alone = guard_for(small_db)
    assert replies_ == [answer(alone, line, FIVE - 60).rstrip("\n") for line in LINES if line]


def test_a_user_with_approvals_is_answered_at_each_read(small_db: Path) -> None:
    user = f"a.khan@{SCHOOL}"
    grant = Approval(
        "A-1",
        "filtered_site_access",
        user,
        "casino.test",
        dt.datetime.fromtimestamp(FIVE - 60, dt.UTC),
        dt.datetime.fromtimestamp(FIVE, dt.UTC),
    )
    pack = compile_pack(load_pack(PACKS / "wells.yaml"))
    ctx = CheckContext(at=dt.datetime.now(dt.UTC), approvals=Approvals((grant,)))
    guard = SquidGuard(pack, ctx, CategoryDB.load(small_db), ("staff",))
    line = f"casino.test:443 10.0.0.5 {user.upper()} CONNECT".encode()
    answers: dict[bytes, bytes] = {}
    first = replies(guard, [b"1 " + line, b"2 " + line.replace(b"A.KHAN", b"j.ward")], FIVE - 30, answers)
    later = replies(guard, [b"3 " + line], FIVE + 30, answers)
    assert first.decode().splitlines() == ["1 ERR", first.decode().splitlines()[1]]
    assert first.decode().splitlines()[1].startswith("2 OK")
    assert later.decode().startswith("3 OK")  # the approval has expired: nothing was remembered
    assert list(answers) == [line.replace(b"A.KHAN", b"j.ward")]
