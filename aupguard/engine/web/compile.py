"""Compile the UT1 lists and the Sinfonietta host files into aupguard's category database.

Run once at build time (``make`` runs it on install), never at start-up::

    python -m aupguard.engine.web.compile [--ut1 DIR] [--sinfonietta DIR] [--mapping FILE] [--out FILE]

Defaults: ``data/ut1``, ``data/sinfonietta`` and ``data/categories/ut1.csv`` in the repository, and
``var/categories.aupcat`` (``$AUPGUARD_VAR_DIR/categories.aupcat`` when that is set).

What is read:

- the **mapping** (``data/categories/ut1.csv``): one line per UT1 category and per Sinfonietta list,
  ``source,list,categories,note``, where ``categories`` is zero, one or more of aupguard's categories
  separated by spaces (none: the list is left out, and ``note`` must say why). Lines starting with
  ``#`` are comments. Every UT1 category folder and every ``*-hosts`` file must have a line, so a new
  upstream list is a build error until someone decides what it is;
- UT1: ``<category>/domains`` (one domain per line: it and its subdomains) and ``<category>/urls``
  (``host/path`` per line: that path and below on that host and its subdomains). UT1's
  ``expressions`` (regular expressions over URLs) are not compiled;
- Sinfonietta: hosts files, ``0.0.0.0 domain`` (or ``127.0.0.1``) per line, ``#`` comments.

Blank and comment lines are skipped and counted, and so is any line that is not a domain (or not a
``host/path``): it is reported, never fatal, unless more than half of a file is such lines (then the
file is not a list, and the build stops naming it). A file that is not UTF-8, a missing folder or a
mistake in the mapping stops the build with one line naming the file and line. The database is
written to a temporary file and renamed over the old one, so a reader never sees half a file.

The compiled file is a work derived from the UT1 lists: it is shared under CC BY-SA 4.0, and its
header carries the attribution (see ``data/README.md``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
import struct
import sys
import time
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain
from pathlib import Path
from typing import Any, Final

from aupguard.engine.catalogue import CATEGORIES
from aupguard.engine.web.categories import (
    FORMAT_NAME,
    FORMAT_VERSION,
    HAS_CHILDREN,
    HAS_URLS,
    LENGTH_SHIFT,
    MAGIC,
    NO_MASK,
    PREAMBLE,
    default_database_path,
)
from aupguard.engine.web.hosts import normalise_host

__all__ = ["BuildError", "BuildReport", "Mapping", "build_database", "main", "read_mapping"]

_REPO = Path(__file__).resolve().parents[3]
DEFAULT_UT1: Final = _REPO / "data" / "ut1"
DEFAULT_SINFONIETTA: Final = _REPO / "data" / "sinfonietta"
DEFAULT_MAPPING: Final = _REPO / "data" / "categories" / "ut1.csv"

SOURCES: Final = ("ut1", "sinfonietta")
MAPPING_COLUMNS: Final = ["source", "list", "categories", "note"]
ATTRIBUTION: Final = (
    "Compiled by aupguard from the UT1 web-filtering blacklists, maintained by Fabrice Prigent, "
    "Universite Toulouse Capitole (https://dsi.ut-capitole.fr/blacklists/), licensed CC BY-SA 4.0, "
    "and from Sinfonietta/hostfiles (https://github.com/Sinfonietta/hostfiles), MIT licence. "
    "This database is a work derived from the UT1 lists and is shared under CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/)."
)

# A domain as the lists write it once lower-cased: two labels or more (IPv4 addresses included).
_DOMAIN = re.compile(r"[a-z0-9_\-]{1,63}(?:\.[a-z0-9_\-]{1,63})+")
_IPV4 = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
# Deletes every character a domain list may hold: what is left of a file is what is wrong with it.
_DOMAIN_CHARS: Final = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz0123456789_.-\n")
_URL_LINE = re.compile(r"([a-z0-9_\-]{1,63}(?:\.[a-z0-9_\-]{1,63})+)(/\S*)?")
_SPACE = re.compile(r"\s")
_U32 = struct.Struct("<I")
_DIGITS: Final = frozenset("0123456789")
_HOSTS_ENTRY = r"[ \t]*[0-9]{1,3}(?:\.[0-9]{1,3}){3}[ \t]+([a-z0-9_\-]{1,63}(?:\.[a-z0-9_\-]{1,63})+)[ \t\r]*"
_HOSTS_LINE = re.compile(rf"^{_HOSTS_ENTRY}$", re.MULTILINE)
# Lines that are neither a usual hosts entry nor blank nor a comment; and any line at all.
_ODD_HOSTS_LINE = re.compile(rf"^(?!{_HOSTS_ENTRY}$)(?![ \t\r]*(?:#[^\n]*)?$)[^\n]+$", re.MULTILINE)
_ANY_LINE = re.compile(r"^[^\n]*$", re.MULTILINE)
# Names hosts files map to the loopback address for the machine itself, not for blocking.
_HOSTS_LOCAL: Final = frozenset({"localhost", "localhost.localdomain", "local", "broadcasthost"})
_EXAMPLES: Final = 5
_GARBAGE_SHARE: Final = 0.5  # more than this share of a file's entries not being domains: not a list


class BuildError(Exception):
    """Input the build cannot use; the message is one line naming the file (and line)."""


@dataclass(frozen=True)
class MappingRow:
    source: str
    name: str
    categories: tuple[str, ...]
    note: str
    line: int


@dataclass(frozen=True)
class Mapping:
    path: Path
    rows: tuple[MappingRow, ...]

    def of(self, source: str) -> dict[str, MappingRow]:
        return {row.name: row for row in self.rows if row.source == source}


@dataclass
class BuildReport:
    """What a build made and what it skipped; `summary` is what the command prints."""

    out: Path
    domains: int = 0
    url_entries: int = 0
    url_hosts: int = 0
    categories: int = 0
    lists: int = 0
    lines: int = 0
    blank_or_comment: int = 0
    garbage: int = 0
    garbage_examples: list[str] = field(default_factory=list)
    garbage_by_file: dict[str, int] = field(default_factory=dict)
    per_category: dict[str, int] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    bytes: int = 0

    @property
    def skipped(self) -> int:
        return self.blank_or_comment + self.garbage

    def summary(self) -> str:
        lines = [
            f"built {self.out}: {self.domains:,} domains, {self.url_entries:,} URL entries "
            f"({self.url_hosts:,} hosts), {self.categories} of {len(CATEGORIES)} categories "
            f"from {self.lists} lists, {self.seconds:.2f} s, {self.bytes:,} bytes",
            f"read {self.lines:,} lines; skipped {self.skipped:,}: {self.blank_or_comment:,} blank or "
            f"comment, {self.garbage:,} not a domain",
        ]
        lines += [f"  not a domain: {example}" for example in self.garbage_examples]
        if self.left_out:
            lines.append(f"left out by the mapping: {', '.join(self.left_out)}")
        if self.missing:
            lines.append(f"named in the mapping but not found: {', '.join(self.missing)}")
        return "\n".join(lines)


# -- the mapping ---------------------------------------------------------------------------------------


def read_mapping(path: Path) -> Mapping:
    """The mapping file at `path`; BuildError names the line of the first problem."""
    text = _read_text(path)
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise BuildError(f"{path}: empty mapping (expected a header line {','.join(MAPPING_COLUMNS)})")
    rows: list[MappingRow] = []
    seen: dict[tuple[str, str], int] = {}
    known = set(CATEGORIES)
    reader = csv.reader(line for _, line in numbered)
    for (number, _), raw_fields in zip(numbered, reader, strict=True):
        where = f"{path}:{number}"
        fields = [f.strip() for f in raw_fields]
        if not rows and not seen and fields == MAPPING_COLUMNS:
            seen[("", "")] = number
            continue
        if ("", "") not in seen:
            raise BuildError(f"{where}: expected the header line {','.join(MAPPING_COLUMNS)}")
        if len(fields) != len(MAPPING_COLUMNS):
            raise BuildError(f"{where}: expected 4 fields (source,list,categories,note), got {len(fields)}")
        source, name, cats, note = fields
        if source not in SOURCES:
            raise BuildError(f"{where}: unknown source {source!r} (expected one of {', '.join(SOURCES)})")
        if not name or "/" in name or name.startswith("."):
            raise BuildError(f"{where}: expected a list name (a UT1 category or a Sinfonietta file)")
        categories = tuple(cats.split())
        for category in categories:
            if category not in known:
                raise BuildError(
                    f"{where}: unknown aupguard category {category!r} (see catalogue.CATEGORIES)"
                )
        if not categories and not note:
            raise BuildError(f"{where}: {source} list {name!r} maps to no category: say why in the note")
        if (source, name) in seen:
            raise BuildError(
                f"{where}: {source} list {name!r} is already mapped on line {seen[source, name]}"
            )
        seen[source, name] = number
        rows.append(MappingRow(source, name, categories, note, number))
    return Mapping(path, tuple(rows))


# -- reading the lists ---------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    return _decode(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BuildError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BuildError(f"{path}:{line}: not UTF-8 text (byte {data[exc.start]:#04x})") from None


def _domain(text: str) -> str | None:
    """A list entry (already lower case) as a normalised domain, or None when it is not one."""
    if _DOMAIN.fullmatch(text) and len(text) <= 253:
        return text
    entry = text.removeprefix("*.").strip(".")
    if not entry or any(c.isspace() for c in entry) or "/" in entry:
        return None
    try:
        host = normalise_host(entry)
    except ValueError:
        return None
    if _DOMAIN.fullmatch(host) and len(host) <= 253:
        return host
    return None


class _Collector:
    """Domain and URL entries with their category masks, and the counts for the report."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report
        # Domains per category mask while reading (lists with the same categories merge cheaply; a
        # dict keeps the lists' order, so the same lists give the same file); `domains` merges them,
        # a domain named by several lists taking all their categories.
        self.by_mask: dict[int, dict[str, None]] = {}
        self.urls: dict[str, dict[str, int]] = {}

    def domains(self) -> dict[str, int]:
        merged: dict[str, int] = {}
        get = merged.get
        for mask, names in sorted(self.by_mask.items()):
            for name in names:
                old = get(name)
                merged[name] = mask if old is None else old | mask
        return merged

    def _garbage(self, path: Path, number: int, line: str) -> None:
        report = self.report
        report.garbage += 1
        report.garbage_by_file[str(path)] = report.garbage_by_file.get(str(path), 0) + 1
        if len(report.garbage_examples) < _EXAMPLES:
            report.garbage_examples.append(f"{path}:{number}: {line[:80]!r}")

    def _check_share(self, path: Path, entries: int, bad: int, first: str) -> None:
        if bad > 10 and bad > _GARBAGE_SHARE * entries:
            raise BuildError(
                f"{first}: {bad:,} of {entries:,} entries in {path} are not domains; is it a list?"
            )

    def domain_file(self, path: Path, text: str, mask: int) -> None:
        """A UT1 ``domains`` file: one domain per line."""
        names = self.by_mask.setdefault(mask, {})
        body = text.lower().rstrip("\n")
        tokens = body.split("\n") if body else []
        self.report.lines += len(tokens)
        if body and _clean(body, tokens):
            # Every line is a domain (the usual case): no line-by-line work in Python.
            names.update(dict.fromkeys(tokens))
            return
        entries = bad = 0
        first = ""
        for number, raw in enumerate(tokens, 1):
            line = raw.strip()
            if not line or line[0] == "#":
                self.report.blank_or_comment += 1
                continue
            entries += 1
            domain = _domain(line)
            if domain is None:
                bad += 1
                first = first or f"{path}:{number}"
                self._garbage(path, number, raw)
                continue
            names[domain] = None
        self._check_share(path, entries, bad, first)

    def url_file(self, path: Path, text: str, mask: int) -> None:
        urls = self.urls
        lines = text.split("\n")
        self.report.lines += len(lines) - (1 if lines and not lines[-1] else 0)
        entries = bad = 0
        first = ""
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line or line[0] == "#":
                if number < len(lines) or line:
                    self.report.blank_or_comment += 1
                continue
            entries += 1
            entry = _url_entry(line)
            if entry is None:
                bad += 1
                first = first or f"{path}:{number}"
                self._garbage(path, number, raw)
                continue
            host, prefix = entry
            prefixes = urls.setdefault(host, {})
            prefixes[prefix] = prefixes.get(prefix, 0) | mask
        self._check_share(path, entries, bad, first)

    def hosts_file(self, path: Path, text: str, mask: int) -> None:
        """A hosts file: ``0.0.0.0 domain...`` per line, ``#`` comments."""
        names = self.by_mask.setdefault(mask, {})
        body = text.lower().rstrip("\n")
        lines = body.split("\n") if body else []
        self.report.lines += len(lines)
        blank = sum(1 for line in lines if not line.strip() or line.lstrip().startswith("#"))
        found = _HOSTS_LINE.findall(body)
        if all(len(name) <= 253 for name in found):
            names.update(dict.fromkeys(name for name in found if name not in _HOSTS_LOCAL))
        else:
            found = []
        self.report.blank_or_comment += blank
        if len(found) + blank == len(lines):
            return  # every line is an address and one domain, or blank, or a comment (the usual case)
        # The other lines, one by one: several names on a line, a bare domain, garbage.
        odd = _ODD_HOSTS_LINE if found else _ANY_LINE
        entries, bad, first = len(found), 0, ""
        number, last = 1, 0
        for match in odd.finditer(body):
            number += body.count("\n", last, match.start())
            last = match.start()
            raw = match[0]
            fields = raw.split("#", 1)[0].split()
            if not fields:
                continue
            entries += 1
            hostnames: list[str] | None = None
            if len(fields) > 1 and (_IPV4.fullmatch(fields[0]) or ":" in fields[0]):
                hostnames = fields[1:]
            elif len(fields) == 1 and not _IPV4.fullmatch(fields[0]):
                hostnames = fields  # a bare domain, as in a plain domain list
            if hostnames is None:
                bad += 1
                first = first or f"{path}:{number}"
                self._garbage(path, number, raw)
                continue
            for name in hostnames:
                if name in _HOSTS_LOCAL:
                    continue
                domain = _domain(name)
                if domain is None:
                    bad += 1
                    first = first or f"{path}:{number}"
                    self._garbage(path, number, raw)
                    break
                names[domain] = None
        self._check_share(path, entries, bad, first)


def _clean(body: str, lines: list[str]) -> bool:
    """Whether every line of `body` (lower case, no trailing newline) is a domain, checked in bulk."""
    if body.translate(_DOMAIN_CHARS) or not all("." in line for line in lines):
        return False
    if ".." in body or "\n." in body or ".\n" in body or body[0] == "." or body[-1] == ".":
        return False
    if max(map(len, lines)) <= 63:
        return True
    return all(len(line) <= 253 and max(map(len, line.split("."))) <= 63 for line in lines if len(line) > 63)


def _url_entry(line: str) -> tuple[str, str] | None:
    """``host/path`` as (normalised host, lower-case path prefix), or None when it is not one."""
    match = _URL_LINE.fullmatch(line)
    if match is not None and len(match[1]) <= 253:
        host, path = match[1], match[2] or ""
    else:
        if _SPACE.search(line):
            return None
        text = line.split("#", 1)[0]
        for scheme in ("http://", "https://"):
            if text[: len(scheme)].lower() == scheme:
                text = text[len(scheme) :]
        authority, slash, rest = text.partition("/")
        try:
            host = normalise_host(authority)
        except ValueError:
            return None
        if not (_DOMAIN.fullmatch(host) and len(host) <= 253):
            return None
        path = slash + rest
    prefix = path.split("#", 1)[0].lower().rstrip("/") or "/"
    if prefix[0] != "/":
        prefix = "/" + prefix
    if len(prefix.encode("utf-8")) > 0xFFFF:
        return None
    return host, prefix


# -- sources ---------------------------------------------------------------------------------------------


def _files_under(root: Path) -> list[Path]:
    return sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def _hash_tree(root: Path, cache: dict[Path, bytes]) -> str:
    """SHA-256 over every file under `root` (relative name and content, in name order)."""
    digest = hashlib.sha256()
    for path in _files_under(root):
        data = cache.get(path)
        if data is None:
            data = _read_bytes(path)
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _require_dir(path: Path, what: str, option: str) -> None:
    if not path.is_dir():
        raise BuildError(f"{path}: no {what} folder here (give it with {option})")


def _bit(categories: Iterable[str]) -> int:
    mask = 0
    for category in categories:
        mask |= 1 << CATEGORIES.index(category)
    return mask


# -- building ------------------------------------------------------------------------------------------


def build_database(
    ut1_dir: str | os.PathLike[str],
    sinfonietta_dir: str | os.PathLike[str],
    mapping_file: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
) -> BuildReport:
    """Compile the lists into the database at `out_path` (written atomically); BuildError if unusable."""
    started = time.perf_counter()
    ut1, sinfonietta, out = Path(ut1_dir), Path(sinfonietta_dir), Path(out_path)
    mapping = read_mapping(Path(mapping_file))
    _require_dir(ut1, "UT1", "--ut1")
    _require_dir(sinfonietta, "Sinfonietta", "--sinfonietta")
    report = BuildReport(out=out)
    collector = _Collector(report)
    read: dict[Path, bytes] = {}
    parsed: dict[tuple[str, int, bytes], int] = {}

    ut1_rows = mapping.of("ut1")
    for folder in sorted(p for p in ut1.iterdir() if p.is_dir()):
        if folder.name not in ut1_rows:
            raise BuildError(
                f"{mapping.path}: UT1 category {folder.name!r} ({folder}) has no line; add "
                f"'ut1,{folder.name},<aupguard categories or none>,<why>'"
            )
    sinfonietta_rows = mapping.of("sinfonietta")
    for file in sorted(sinfonietta.glob("*-hosts")):
        if file.name not in sinfonietta_rows:
            raise BuildError(
                f"{mapping.path}: Sinfonietta list {file.name!r} ({file}) has no line; add "
                f"'sinfonietta,{file.name},<aupguard categories or none>,<why>'"
            )

    for row in mapping.rows:
        label = f"{row.source}/{row.name}"
        if not row.categories:
            report.left_out.append(label)
            continue
        mask = _bit(row.categories)
        if row.source == "ut1":
            folder = ut1 / row.name
            files = [(folder / "domains", collector.domain_file), (folder / "urls", collector.url_file)]
            present = [(path, parse) for path, parse in files if path.is_file()]
        else:
            path = sinfonietta / row.name
            present = [(path, collector.hosts_file)] if path.is_file() else []
        if not present:
            report.missing.append(label)
            continue
        report.lists += 1
        for path, parse in present:
            data = read[path] = _read_bytes(path)
            # UT1's three redirector lists share one domains file: read it once.
            same = (parse.__name__, mask, data)
            if same in parsed:
                report.lines += parsed[same]
                continue
            lines = report.lines
            parse(path, _decode(path, data), mask)
            parsed[same] = report.lines - lines
    if not report.lists:
        raise BuildError(f"{ut1}: no list named in {mapping.path} was found here or in {sinfonietta}")

    report.sources = {
        "ut1": _hash_tree(ut1, read),
        "sinfonietta": _hash_tree(sinfonietta, read),
        "mapping": hashlib.sha256(_read_bytes(mapping.path)).hexdigest(),
    }
    _write(report, collector, {"ut1": ut1, "sinfonietta": sinfonietta, "mapping": mapping.path}, started)
    return report


def _write(report: BuildReport, collector: _Collector, paths: dict[str, Path], started: float) -> None:
    domains, urls = collector.domains(), collector.urls
    # Every distinct category set, as a bitmask over CATEGORIES; slots and URL entries hold its index.
    masks = sorted(set(domains.values()) | {m for prefixes in urls.values() for m in prefixes.values()})
    if len(masks) >= NO_MASK:
        raise BuildError(f"{len(masks)} distinct category sets: more than the format's {NO_MASK - 1}")
    index = {mask: i for i, mask in enumerate(masks)}

    url_section = bytearray(b"\0")
    url_offsets: dict[str, int] = {}
    for host in sorted(urls):
        prefixes = urls[host]
        if len(prefixes) > 0xFFFF:
            raise BuildError(f"{host}: {len(prefixes)} URL entries, more than the format's 65535 per host")
        url_offsets[host] = len(url_section)
        url_section += struct.pack("<H", len(prefixes))
        for prefix in sorted(prefixes):
            raw = prefix.encode("utf-8")
            url_section += struct.pack("<H", len(raw)) + raw + struct.pack("<H", index[prefixes[prefix]])
        report.url_entries += len(prefixes)
    report.url_hosts = len(urls)
    report.domains = len(domains)

    # Names: the domains in the lists' order, then hosts listed only for URL entries, then the
    # waypoints (names between an entry and its two-label suffix); the same lists give the same
    # file. A name with a longer name under it is flagged, so that a lookup knows when to stop.
    # The work per name is done by map() and join() where it can be.
    url_only = sorted(urls.keys() - domains.keys())
    parents = _parents(chain(domains, url_only))
    waypoints = sorted(parents - domains.keys() - urls.keys())
    hosts = [*domains, *url_only, *waypoints]
    keys = "\n".join(hosts).encode("ascii").split(b"\n") if hosts else []
    indexes = [index[mask] for mask in domains.values()] + [NO_MASK] * (len(url_only) + len(waypoints))
    url_at = url_offsets.get
    tails = [b"" if (at := url_at(host)) is None else _U32.pack(at) for host in hosts]
    records = list(map(bytes.__add__, keys, tails))
    names = b"\0" + b"".join(records)
    if len(names) >= 1 << 32:  # pragma: no cover - about 200 million domains
        raise BuildError("too many domains for the format's 32-bit offsets")
    infos = [
        i | (HAS_CHILDREN if host in parents else 0) | (HAS_URLS if tail else 0) | len(key) << LENGTH_SHIFT
        for i, host, key, tail in zip(indexes, hosts, keys, tails, strict=True)
    ]
    slots = 16
    while slots < 2 * len(hosts):
        slots *= 2
    slot_mask = slots - 1
    table = [0] * slots
    info_table = [0] * slots
    offsets = accumulate(map(len, records), initial=1)  # one more than there are names: the end
    for offset, crc, info in zip(offsets, map(zlib.crc32, keys), infos, strict=False):
        slot = crc & slot_mask
        while table[slot]:
            slot = (slot + 1) & slot_mask
        table[slot] = offset
        info_table[slot] = info
    packed_table = array("I", table)
    packed_table.extend(info_table)
    if packed_table.itemsize != 4:  # pragma: no cover - every platform aupguard runs on
        raise BuildError("this platform's C unsigned int is not 4 bytes")

    per_mask = Counter(domains.values())
    per_category = dict.fromkeys(CATEGORIES, 0)
    for mask, count in per_mask.items():
        for bit, name in enumerate(CATEGORIES):
            if mask >> bit & 1:
                per_category[name] += count
    report.per_category = {name: count for name, count in per_category.items() if count}
    in_use = {name for m in masks for bit, name in enumerate(CATEGORIES) if m >> bit & 1}
    report.categories = len(in_use)

    header: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "categories": list(CATEGORIES),
        "masks": masks,
        "byteorder": sys.byteorder,
        "counts": {
            "domains": report.domains,
            "url_entries": report.url_entries,
            "url_hosts": report.url_hosts,
            "names": len(hosts),
            "waypoints": len(waypoints),
            "masks": len(masks),
            "lists": report.lists,
            "lines": report.lines,
            "skipped_blank_or_comment": report.blank_or_comment,
            "skipped_not_a_domain": report.garbage,
            "per_category": report.per_category,
        },
        "sources": {
            name: {"path": str(paths[name]), "sha256": digest} for name, digest in report.sources.items()
        },
        "left_out": report.left_out,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "builder": "aupguard.engine.web.compile",
        "licence": "CC-BY-SA-4.0",
        "attribution": ATTRIBUTION,
    }
    blob = _header_bytes(header, slots, len(names), len(url_section))
    _write_atomically(report.out, [blob, packed_table.tobytes(), names, bytes(url_section)])
    report.bytes = report.out.stat().st_size
    report.seconds = time.perf_counter() - started


def _parents(names: Iterable[str]) -> set[str]:
    """Every name of two labels or more that has a longer name among `names` under it (IPs aside)."""
    parents: set[str] = set()
    level = {
        parent
        for name in names
        if "." in (parent := name.partition(".")[2])
        and not (name[-1] in _DIGITS and _IPV4.fullmatch(name))  # 10.0.0.1 is not under 0.0.1
    }
    while level:
        new = level - parents
        parents |= new
        level = {parent for name in new if "." in (parent := name.partition(".")[2])}
    return parents


def _header_bytes(header: dict[str, Any], slots: int, names_size: int, urls_size: int) -> bytes:
    """Preamble, JSON header and padding; the header holds its sections' offsets, so settle them."""
    start = 0
    while True:
        header["table"] = [start, slots]
        header["names"] = [start + 8 * slots, names_size]
        header["urls"] = [start + 8 * slots + names_size, urls_size]
        text = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
        head = PREAMBLE.pack(MAGIC, FORMAT_VERSION, len(text)) + text
        head += b" " * (-len(head) % 8)
        if len(head) == start:
            return head
        start = len(head)


def _write_atomically(out: Path, parts: list[bytes]) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{out.parent}: cannot create the folder: {exc.strerror or exc}") from None
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            for part in parts:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"{out}: cannot write: {exc.strerror or exc}") from None


# -- the command -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m aupguard.engine.web.compile",
        description="Compile the UT1 and Sinfonietta lists into aupguard's category database.",
    )
    parser.add_argument(
        "--ut1", type=Path, default=DEFAULT_UT1, help="UT1 lists folder (default: %(default)s)"
    )
    parser.add_argument(
        "--sinfonietta",
        type=Path,
        default=DEFAULT_SINFONIETTA,
        help="Sinfonietta folder (default: %(default)s)",
    )
    parser.add_argument(
        "--mapping", type=Path, default=DEFAULT_MAPPING, help="mapping (default: %(default)s)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help=f"database to write (default: {default_database_path()})"
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else default_database_path()
    try:
        report = build_database(args.ut1, args.sinfonietta, args.mapping, out)
    except BuildError as exc:
        print(f"aupguard categories: error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
