"""`aupguard relay`: the SMTP relay, and `relay release|reject|list` for its quarantine.

aupguard relay --policy PACK --listen HOST:PORT --next HOST:PORT --spool DIR
               [--roster CSV] [--directory CSV] [--approvals JSON] [--events FILE]
aupguard relay list    --spool DIR [--json]
aupguard relay release ID --spool DIR [--by NAME]
aupguard relay reject  ID --spool DIR [--by NAME] [--reason TEXT]
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from aupguard.cli.inputs import (
    BAD_INPUT,
    compile_or_report,
    error,
    read_at,
    read_pack,
    read_people,
    read_snapshot,
)
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.detectors.words import word_index
from aupguard.engine.packs import PackError, PackNotFound, load_pack, resolve_pack
from aupguard.engine.web.lists import ListError
from aupguard.process import quiet_gc
from aupguard.relay.delivery import DeliveryConfig
from aupguard.relay.events import EventLog
from aupguard.relay.quarantine import reject, release
from aupguard.relay.server import Guard, Relay, RelayConfig
from aupguard.relay.sink import run_sink
from aupguard.relay.spool import HOLD, Spool, SpoolError

__all__ = ["register"]


def host_port(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT such as 127.0.0.1:2525, got {value!r}")
    return host.strip("[]"), int(port)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {value!r}")
    return seconds


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser(
        "relay",
        help="run the SMTP relay, or list, release and reject held messages",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    p.add_argument("action", nargs="?", choices=["list", "release", "reject"], help="manage the quarantine")
    p.add_argument("id", nargs="?", help="the held message's id (release, reject)")
    p.add_argument("--spool", required=True, metavar="DIR", help="the spool folder (created if missing)")
    p.add_argument("--policy", metavar="PACK", help="a pack id (wells) or a pack file")
    p.add_argument("--listen", type=host_port, metavar="HOST:PORT", help="where to accept mail")
    p.add_argument("--next", type=host_port, metavar="HOST:PORT", help="the mail server to deliver to")
    p.add_argument("--roster", metavar="PUPILS.csv")
    p.add_argument("--directory", metavar="STAFF.csv")
    p.add_argument("--approvals", metavar="APPROVALS.json")
    p.add_argument("--events", metavar="FILE", help="the events file (default: SPOOL/events.jsonl)")
    p.add_argument(
        "--notice-from", metavar="ADDRESS", help="sender of notices (default: postmaster@ the pack's domain)"
    )
    p.add_argument(
        "--retry-initial", type=_seconds, default=60.0, metavar="SECONDS", help="first retry delay (60)"
    )
    p.add_argument(
        "--retry-max", type=_seconds, default=3600.0, metavar="SECONDS", help="longest retry delay (3600)"
    )
    p.add_argument("--by", default="", metavar="NAME", help="who releases or rejects (recorded)")
    p.add_argument(
        "--reason", default="", metavar="TEXT", help="why a message is rejected (told to the sender)"
    )
    p.add_argument("--json", action="store_true", help="machine output for list")
    p.set_defaults(run=run)

    sink = commands.add_parser(
        "mail-sink",
        help="an SMTP server that keeps each message as a file (a stand-in for the school's mail server)",
    )
    sink.add_argument("--listen", type=host_port, required=True, metavar="HOST:PORT")
    sink.add_argument("--folder", required=True, metavar="DIR", help="where each message is written")
    sink.set_defaults(run=run_mail_sink)


def run_mail_sink(args: argparse.Namespace) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    host, port = args.listen
    try:
        run_sink(host, port, Path(args.folder), stop)
    except OSError as exc:
        error(f"mail-sink: cannot listen on {host}:{port}: {exc.strerror or exc}")
        return BAD_INPUT
    return 0


def _notice_from(args: argparse.Namespace, pack: CompiledPack | None) -> str:
    if args.notice_from:
        return str(args.notice_from)
    domains = pack.pack.settings.internal_domains if pack else ()
    return f"postmaster@{domains[0]}" if domains else "postmaster@localhost"


def _guard(args: argparse.Namespace) -> Guard | None:
    pack = read_pack(args.policy)
    if pack is None:
        return None
    people = read_people(args.roster, args.directory)
    approvals = read_snapshot(args.approvals)
    at = read_at(None, pack)
    if people is None or approvals is None or at is None:
        return None
    compiled = compile_or_report(pack)
    if compiled is None:
        return None
    # The name index and the walk of names and lexicons built now, not on the first message's time.
    word_index(people.names, compiled.lexicons)
    return Guard(compiled, CheckContext(at=at, people=people, approvals=approvals))


def _reloader(args: argparse.Namespace) -> Any:
    def reload() -> Guard:
        guard = _guard(args)
        if guard is None:
            raise ValueError("the pack, roster, directory or approvals could not be read (see stderr)")
        return guard

    return reload


def _pack_of(spool: Spool, message_id: str, policy: str | None) -> CompiledPack | None:
    ref = policy
    if ref is None:
        try:
            ref = spool.envelope(HOLD, message_id).pack or None
        except SpoolError:
            return None
    if ref is None:
        return None
    try:
        return compile_pack(load_pack(resolve_pack(ref)))
    except (PackNotFound, PackError, ListError):
        return None


def run(args: argparse.Namespace) -> int:
    spool = Spool(Path(args.spool))
    events = EventLog(Path(args.events) if args.events else spool.root / "events.jsonl")
    if args.action is None:
        return _serve(args, spool)
    if args.action == "list":
        return _list(args, spool)
    if not args.id:
        error(f"relay {args.action}: expected the id of a held message (see 'aupguard relay list')")
        return BAD_INPUT
    pack = _pack_of(spool, args.id, args.policy)
    try:
        if args.action == "release":
            env = release(spool, events, args.id, by=args.by, pack=pack, sender=_notice_from(args, pack))
        else:
            env = reject(
                spool,
                events,
                args.id,
                by=args.by,
                reason=args.reason,
                pack=pack,
                sender=_notice_from(args, pack),
            )
    except SpoolError as exc:
        error(str(exc))
        return BAD_INPUT
    print(f"{args.action}d {env.id} from {env.mail_from or '<>'}: {env.subject}")
    return 0


def _list(args: argparse.Namespace, spool: Spool) -> int:
    if not spool.folder(HOLD).is_dir():
        error(f"{spool.root}: not a relay spool (no hold/ folder)")
        return BAD_INPUT
    for env in spool.messages(HOLD):
        checks = sorted({f["check"] for f in env.findings})
        if args.json:
            print(
                json.dumps(
                    {
                        "id": env.id,
                        "mail_from": env.mail_from,
                        "rcpt_tos": env.rcpt_tos,
                        "subject": env.subject,
                        "findings": env.findings,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(f"{env.id}  {env.mail_from or '<>'}  {env.subject!r}  {', '.join(checks)}")
    return 0


def _serve(args: argparse.Namespace, spool: Spool) -> int:
    missing = [name for name in ("policy", "listen", "next") if getattr(args, name) is None]
    if missing:
        error("relay: the relay needs " + ", ".join(f"--{name}" for name in missing))
        return BAD_INPUT
    guard = _guard(args)
    if guard is None:
        return BAD_INPUT
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # aiosmtpd logs every SMTP command, addresses included, at INFO: the events file is the record.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    (listen_host, listen_port), (next_host, next_port) = args.listen, args.next
    config = RelayConfig(
        listen_host=listen_host,
        listen_port=listen_port,
        spool=spool.root,
        events=Path(args.events) if args.events else spool.root / "events.jsonl",
        delivery=DeliveryConfig(
            next_host, next_port, retry_initial=args.retry_initial, retry_max=args.retry_max
        ),
        notice_from=_notice_from(args, guard.pack),
    )
    relay = Relay(config, guard)
    quiet_gc()
    try:
        relay.serve(_reloader(args))
    except SpoolError as exc:
        error(str(exc))
        return BAD_INPUT
    except OSError as exc:
        error(f"relay: cannot listen on {listen_host}:{listen_port}: {exc.strerror or exc}")
        return BAD_INPUT
    print("relay stopped", file=sys.stderr)
    return 0
