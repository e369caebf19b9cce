"""The spool and the delivery loop where a real relay fails: crashes part-way, a second relay on
the same spool, a next server that misbehaves after taking the message, an events file that fails."""

from __future__ import annotations

import email
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aupguard.relay.delivery import Delivery, DeliveryConfig
from aupguard.relay.events import EventLog
from aupguard.relay.quarantine import release
from aupguard.relay.sink import run_sink
from aupguard.relay.spool import HOLD, QUEUE, Envelope, Spool, SpoolError, new_id
from tests.relay.test_relay_end_to_end import _free_port

RAW = b"From: a.khan@wells.redbridge.sch.uk\r\nTo: j.ward@wells.redbridge.sch.uk\r\nSubject: hi\r\n\r\nHi\r\n"


def _envelope(**changes: Any) -> Envelope:
    env = Envelope(new_id(), "a.khan@wells.redbridge.sch.uk", ["j.ward@wells.redbridge.sch.uk"], time.time())
    for key, value in changes.items():
        setattr(env, key, value)
    return env


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port, inbox, stop = _free_port(), tmp_path / "inbox", threading.Event()
    thread = threading.Thread(target=run_sink, args=("127.0.0.1", port, inbox, stop), daemon=True)
    thread.start()
    time.sleep(0.3)
    yield port, inbox
    stop.set()
    thread.join(10)


def test_a_move_interrupted_at_any_step_leaves_the_message_whole_in_one_folder(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.prepare()
    first, second = _envelope(), _envelope()
    for env in (first, second):
        spool.store(HOLD, env, RAW)
    # Crash after the envelope was copied to queue/, before the .eml moved.
    (spool.folder(QUEUE) / f"{first.id}.json").write_bytes(
        (spool.folder(HOLD) / f"{first.id}.json").read_bytes()
    )
    # Crash after the .eml moved, before hold/'s envelope was removed.
    (spool.folder(QUEUE) / f"{second.id}.json").write_bytes(
        (spool.folder(HOLD) / f"{second.id}.json").read_bytes()
    )
    (spool.folder(HOLD) / f"{second.id}.eml").rename(spool.folder(QUEUE) / f"{second.id}.eml")
    spool.close()  # the first process is gone
    restarted = Spool(tmp_path / "spool")
    restarted.prepare()
    assert (restarted.ids(HOLD), restarted.ids(QUEUE)) == ([first.id], [second.id])
    assert restarted.envelope(HOLD, first.id).id == first.id
    assert restarted.envelope(QUEUE, second.id).id == second.id


def test_a_second_relay_on_the_same_spool_stops_at_start(tmp_path: Path) -> None:
    first = Spool(tmp_path / "spool")
    first.prepare()
    with pytest.raises(SpoolError, match="another relay is using this spool"):
        Spool(tmp_path / "spool").prepare()
    first.close()
    Spool(tmp_path / "spool").prepare()  # once the first has gone, a new relay can start


class _FailingEvents(EventLog):
    def write(self, event: str, **fields: Any) -> None:
        if event == "delivered":
            raise OSError(28, "No space left on device")
        super().write(event, **fields)


def test_a_message_is_not_sent_again_when_recording_its_delivery_fails(
    tmp_path: Path, sink: tuple[int, Path]
) -> None:
    port, inbox = sink
    spool = Spool(tmp_path / "spool")
    spool.prepare()
    env = _envelope()
    spool.store(QUEUE, env, RAW)
    delivery = Delivery(
        spool, _FailingEvents(tmp_path / "events.jsonl"), DeliveryConfig("127.0.0.1", port), lambda e, r: None
    )
    for _ in range(3):
        for message_id in delivery.due():
            delivery.deliver(message_id)
    assert len(list(inbox.glob("*.eml"))) == 1
    assert spool.ids(QUEUE) == []


def test_a_next_server_that_is_down_keeps_the_message_with_back_off(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.prepare()
    env = _envelope()
    spool.store(QUEUE, env, RAW)
    events = tmp_path / "events.jsonl"
    delivery = Delivery(
        spool,
        EventLog(events),
        DeliveryConfig("127.0.0.1", _free_port(), retry_initial=60),
        lambda e, r: None,
    )
    delivery.deliver(env.id)
    kept = spool.envelope(QUEUE, env.id)
    assert kept.attempts == 1 and kept.next_attempt > time.time() + 50
    assert delivery.due() == []
    assert json.loads(events.read_text().splitlines()[-1])["event"] == "deferred"


def test_a_released_message_gets_its_full_retry_time_from_the_release(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.prepare()
    env = _envelope(received=time.time() - 6 * 24 * 3600)  # held over half-term
    spool.store(HOLD, env, RAW)
    release(spool, EventLog(tmp_path / "events.jsonl"), env.id, by="t.osei", pack=None, sender="postmaster@x")
    assert spool.envelope(QUEUE, env.id).received > time.time() - 60


def test_the_sink_keeps_each_message_with_its_recipients(sink: tuple[int, Path], tmp_path: Path) -> None:
    port, inbox = sink
    spool = Spool(tmp_path / "spool")
    spool.prepare()
    env = _envelope(rcpt_tos=["j.ward@wells.redbridge.sch.uk", "nobody@wells.redbridge.sch.uk"])
    spool.store(QUEUE, env, RAW)
    bounced: list[str] = []
    delivery = Delivery(
        spool,
        EventLog(tmp_path / "e.jsonl"),
        DeliveryConfig("127.0.0.1", port),
        lambda e, r: bounced.append(r),
    )
    delivery.deliver(env.id)
    (path,) = inbox.glob("*.eml")
    assert email.message_from_bytes(path.read_bytes())["X-Envelope-To"] == "j.ward@wells.redbridge.sch.uk"
    assert bounced and "550" in bounced[0]
