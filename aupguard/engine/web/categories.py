"""The URL category database: which of aupguard's web categories a host or URL falls in.

The database is compiled once, at build time, from the UT1 lists and the Sinfonietta host files
(``python -m aupguard.engine.web.compile``, see `aupguard.engine.web.compile`), into one file
(``var/categories.aupcat`` by default) that `CategoryDB.load` maps into memory without reading it:
loading takes about a millisecond whatever the lists' size, and only the pages lookups touch become
resident.

Lookup (`CategoryDB.categories`):

1. the host is normalised (`aupguard.engine.web.hosts`: case, trailing dot, port, userinfo, IDN,
   IP literals, Squid's CONNECT ``host:443``);
2. the **longest listed domain suffix** gives the host's categories: ``a.b.example.com`` takes
   ``example.com``'s categories when only ``example.com`` is listed, and only ``a.b.example.com``'s
   when both are (the most specific entry wins; its categories are those of all the lists naming
   it). An IP address matches only itself. A single label (``com``) is never an entry;
3. **URL entries** then add categories: an entry ``example.com/games`` adds its categories to a
   request for that host, or any host under it, whose path (lower-cased, with its query) is the
   entry's path or lies under it: ``/games``, ``/games/x`` and ``/games?page=2``, not
   ``/gamesroom``. A path segment ends at ``/``, ``?``, ``&``, ``;``, ``=`` or the end.

Two LRU caches keep results: whole requests (a CONNECT ``host:443`` or a URL seen again costs one
dictionary look-up) and hosts as requests write them (a host seen again with another path). A host
not seen yet costs one or two probes of the table: its suffixes are tried from the shortest of two
labels (``example.com``) to the whole host, and the walk stops at the first suffix with no record,
or whose record has nothing longer listed under it. So that the walk may stop there, every name
between a listed name and its two-label suffix has a record too (a *waypoint*, with no categories).

File format, version 1 (integers little-endian; the two slot tables in the machine's byte order,
which the header names)::

    offset 0   magic            8 bytes  b"AUPCAT\\r\\n"
    offset 8   version          u32      1
    offset 12  header length    u32      N
    offset 16  header           N bytes  JSON, UTF-8 (below)
               padding to a multiple of 8
    table      slots x u32      open addressing, at most half full: a name's slot is
                                zlib.crc32(name) & (slots - 1), then the next ones (linear probing);
                                each slot holds the offset of the name in the names section, 0 for an
                                empty slot
               slots x u32      each slot's info: mask index (bits 0-15; 0xFFFF: the name is no
                                domain entry, but a waypoint or a host with URL entries only),
                                flags (bit 16: names are listed under this one, the walk goes on;
                                bit 17: the name has URL entries), name length (bits 18-25)
    names      one pad byte (no name is at offset 0), then each name (ASCII, compared in full: a
               slot's hash is never trusted alone), followed, when it has URL entries, by the u32
               offset of its group in the urls section
    urls       one pad byte, then one group per host with URL entries:
                 u16  number of entries, then per entry:
                 u16  length of the path prefix, the prefix (UTF-8, lower case, starting with "/"),
                 u16  index into "masks"

The JSON header holds: ``format`` ("aupguard-categories"), ``categories`` (aupguard's category names
in bit order: bit i of a mask is ``categories[i]``, so a mask means what the file says whatever the
version of aupguard reading it), ``masks`` (every distinct category set, as a bitmask; slots and URL
entries hold an index into it), ``table`` (``[offset, slots]``), ``names`` and ``urls``
(``[offset, size]``), ``byteorder``, ``counts``, ``sources`` (the SHA-256 of each input folder and of
the mapping), ``left_out`` (the source lists the mapping leaves out), ``built_at``, ``builder``,
``licence`` and ``attribution``: the compiled file is a work derived from the UT1 lists and is shared
under CC BY-SA 4.0 as they are.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import struct
import sys
import zlib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from aupguard.engine.web.hosts import normalise_host, path_of, split_url

HostTable: type[host_table.HostTable] | None
try:  # the suffix walk in C (setup.py); without it, the same walk in Python
    from aupguard.engine.web import host_table

    HostTable = host_table.HostTable
except ImportError:  # pragma: no cover (built wherever a C compiler is)
    HostTable = None

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "USUAL_REQUEST",
    "CategoryDB",
    "CategoryDBError",
    "HostEntry",
    "UrlRules",
    "default_database_path",
    "segment_index",
]

MAGIC: Final = b"AUPCAT\r\n"
FORMAT_VERSION: Final = 1
FORMAT_NAME: Final = "aupguard-categories"
PREAMBLE: Final = struct.Struct("<8sII")
# A slot's info word.
NO_MASK: Final = 0xFFFF
HAS_CHILDREN: Final = 1 << 16
HAS_URLS: Final = 1 << 17
LENGTH_SHIFT: Final = 18
DEFAULT_CACHE_SIZE: Final = 65536
# Characters that end a path segment: a URL entry's path matches a request path that equals it or
# goes on with one of these.
PATH_BOUNDARY: Final = frozenset("/?&;=#")

_REPO = Path(__file__).resolve().parents[3]
# The usual requests, split and normalised by one match: an http(s) URL or a CONNECT host:port whose
# host is a lower-case name. Anything else goes through hosts.split_url.
USUAL_REQUEST = re.compile(
    r"(?:https?://)?([a-z0-9_\-]+(?:\.[a-z0-9_\-]+)+)\.?(?::[0-9]{1,5})?((?:[/?#].*)?)", re.DOTALL
)
_DIGITS: Final = frozenset("0123456789")
_IPV4 = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_U32 = struct.Struct("<I")
_U16 = struct.Struct("<H")


class CategoryDBError(Exception):
    """A category database that cannot be used; the message names the file and says what to do."""


def default_database_path() -> Path:
    """``$AUPGUARD_VAR_DIR/categories.aupcat``, or ``var/categories.aupcat`` in the repository."""
    var = os.environ.get("AUPGUARD_VAR_DIR")
    return (Path(var) if var else _REPO / "var") / "categories.aupcat"


# (categories, their mask, the URL entries that apply to the host as (path prefix, mask))
HostEntry = tuple[frozenset[str], int, tuple[tuple[str, int], ...]]
_Entry = HostEntry
_EMPTY: Final[frozenset[str]] = frozenset()


class CategoryDB:
    """A compiled category database, mapped read-only from its file. Use `CategoryDB.load`.

    ``db.categories(url_or_host) -> frozenset[str]``: the aupguard categories of a URL or a host, in
    any form `split_url` takes (``https://www.example.com/a?b``, ``example.com/a``, ``host:443``);
    ValueError when it names no usable host. It is an attribute (the cached function itself, so that
    a request seen again costs no Python call at all), not a method.
    """

    categories: Callable[[str], frozenset[str]]

    def __init__(
        self, path: Path, mm: mmap.mmap, header: dict[str, Any], cache_size: int, native: bool = True
    ) -> None:
        self.path = path
        self._native = native
        self.header = header
        self.category_names: tuple[str, ...] = tuple(header["categories"])
        self._mm = mm
        self._masks: list[int] = header["masks"]
        self._sets = [self._names(mask) for mask in self._masks]
        self._by_mask: dict[int, frozenset[str]] = dict(zip(self._masks, self._sets, strict=True))
        table_offset, slots = header["table"]
        self._slot_mask: int = slots - 1
        self._names_offset: int = header["names"][0]
        self._urls_offset: int = header["urls"][0]
        self._view = memoryview(mm)
        self._offsets = self._view[table_offset : table_offset + 4 * slots].cast("I")
        self._info = self._view[table_offset + 4 * slots : table_offset + 8 * slots].cast("I")
        self._resolve = self._resolver()
        # A normalised host's entry, uncached: (the categories of its longest listed suffix, their
        # mask, the URL entries at or above it); `path_categories` adds a path's URL entries. The
        # resolver itself, not a method: a guard calls it once per new host.
        self.host_entry: Callable[[str], HostEntry] = self._resolve
        self._lookup: Callable[[str], _Entry] = self._resolve
        self.categories: Callable[[str], frozenset[str]] = self._uncached
        self._caches: dict[str, Any] = {}
        self._groups: dict[int, tuple[tuple[str, int], ...]] = {}
        if cache_size:
            self._lookup = self._caches["hosts"] = lru_cache(maxsize=cache_size)(self._resolve)
            self.categories = self._caches["requests"] = lru_cache(maxsize=cache_size)(self._uncached)

    # -- loading -------------------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        native: bool = True,
    ) -> CategoryDB:
        """Map the database at `path` (default: `default_database_path`); CategoryDBError if unusable.

        `cache_size` bounds each of the two LRU caches (requests, hosts); 0 turns them off.
        `native` False walks suffixes in Python even where the C walk (`HostTable`) was built.
        """
        file = Path(path) if path is not None else default_database_path()
        hint = "build it with: python -m aupguard.engine.web.compile"
        try:
            with open(file, "rb") as handle:
                if not os.fstat(handle.fileno()).st_size:
                    raise CategoryDBError(f"{file}: empty file, not a category database; {hint}")
                mm = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            raise CategoryDBError(f"{file}: no category database here; {hint}") from None
        except (OSError, ValueError) as exc:
            raise CategoryDBError(f"{file}: cannot read: {exc}") from None
        try:
            header = _read_header(file, mm, hint)
        except BaseException:
            mm.close()
            raise
        return cls(file, mm, header, cache_size, native)

    def close(self) -> None:
        """Unmap the file; the database cannot be used afterwards."""
        for cache in self._caches.values():
            cache.cache_clear()
        self._lookup = self.categories = self.host_entry = _closed
        if self._table is not None:
            self._table.release()
        self._offsets.release()
        self._info.release()
        self._view.release()
        self._mm.close()

    def __enter__(self) -> CategoryDB:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- lookups -------------------------------------------------------------------------------------

    def lookup(self, host: str, path: str = "/") -> frozenset[str]:
        """The categories of a host and a path already split by `split_url` (the host is normalised again)."""
        found, mask, rules = self._lookup(normalise_host(host))
        if not rules:
            return found
        return self._with_urls(mask, rules, path) or found

    def native_probe(
        self,
    ) -> tuple[Callable[[str], tuple[int, tuple[int, ...]] | None], list[HostEntry], HostEntry] | None:
        """For C code that walks hosts itself: (`HostTable.probe`, the entry of each mask index,
        the entry of a host with no listed suffix); None where the C walk is not in use."""
        if self._table is None:
            return None
        return self._table.probe, self._entries, self._nothing

    def path_categories(
        self, entry: HostEntry, path: str, index: Mapping[str | None, UrlRules] | None = None
    ) -> frozenset[str]:
        """The categories of a request for a host whose `host_entry` is `entry`, with path `path`
        (with its query; a fragment is ignored). `index`, `segment_index` of the entry's URL entries,
        makes a host with many of them (docs.google.com has hundreds) as fast as one with a few."""
        found, mask, rules = entry
        if not rules:
            return found
        if not path or path[0] != "/" or "#" in path:
            path = path_of(path.partition("#")[0])
        path = path.lower()
        if index is not None:
            rules = index.get(_segment(path), ()) + index.get(None, ())
        extra = 0
        size = len(path)
        for prefix, rule_mask in rules:
            if path.startswith(prefix) and (
                size == len(prefix) or prefix[-1] in PATH_BOUNDARY or path[len(prefix)] in PATH_BOUNDARY
            ):
                extra |= rule_mask
        if extra | mask == mask:
            return found
        return self._set_for(mask | extra)

    def cache_info(self) -> dict[str, Any]:
        """The LRU caches' statistics (`functools.lru_cache`), "requests" and "hosts"; {} without."""
        return {name: cache.cache_info() for name, cache in self._caches.items()}

    def _uncached(self, url_or_host: str) -> frozenset[str]:
        """`categories` without the request cache."""
        usual = USUAL_REQUEST.fullmatch(url_or_host)
        host, path = usual.groups() if usual is not None else split_url(url_or_host)
        found, mask, rules = self._lookup(host)
        if not rules:
            return found
        return self._with_urls(mask, rules, path) or found

    def _with_urls(self, mask: int, rules: tuple[tuple[str, int], ...], path: str) -> frozenset[str] | None:
        """The categories with those of the URL entries matching `path` added; None if none adds any."""
        path = path_of(path.partition("#")[0]).lower()
        extra = 0
        for prefix, rule_mask in rules:
            if path.startswith(prefix) and (
                len(path) == len(prefix) or prefix[-1] in PATH_BOUNDARY or path[len(prefix)] in PATH_BOUNDARY
            ):
                extra |= rule_mask
        if extra | mask == mask:
            return None
        return self._set_for(mask | extra)

    def _resolver(self) -> Callable[[str], _Entry]:
        """`_resolve`, with what it reads bound in a closure (faster than attributes on a cold path)."""
        mm, offsets, infos, slot_mask, base = (
            self._mm,
            self._offsets,
            self._info,
            self._slot_mask,
            self._names_offset,
        )
        url_group = self._url_group
        crc32 = zlib.crc32
        ipv4 = _IPV4.fullmatch
        # Per mask index, the entry a host without URL entries resolves to (built once).
        entries: list[_Entry] = [
            (names, mask, ()) for names, mask in zip(self._sets, self._masks, strict=True)
        ]
        nothing: _Entry = (_EMPTY, 0, ())
        self._table = None
        if HostTable is not None and self._native:
            self._table = HostTable(mm, offsets, infos, slot_mask, base)
        probe = self._table.probe if self._table is not None else None
        self._entries, self._nothing = entries, nothing

        def resolve(host: str) -> _Entry:
            """The categories of a normalised host's longest listed suffix, and its URL entries."""
            if probe is not None and (walked := probe(host)) is not None:
                found, groups = walked
                entry = entries[found] if found != NO_MASK else nothing
                if not groups:
                    return entry
                rules: tuple[tuple[str, int], ...] = ()
                for at in groups:
                    rules += url_group(at)
                return (entry[0], entry[1], rules)
            try:
                key = host.encode()
            except UnicodeEncodeError:
                key = host.encode("utf-8", "surrogateescape")
            if ":" in host or (host[-1] in _DIGITS and ipv4(host)):
                dot = -1  # an IP address: the whole host, once
            else:
                dot = key.rfind(b".")
                if dot < 0:
                    return nothing  # a single label is never listed
                dot = key.rfind(b".", 0, dot)
            found = NO_MASK
            rules = ()
            # The suffixes from the shortest of two labels to the whole host, each after `dot`.
            while True:
                suffix = key[dot + 1 :] if dot >= 0 else key
                size = len(suffix)
                slot = crc32(suffix) & slot_mask
                info = 0  # nothing is listed at or under this suffix unless a slot says so
                while offset := offsets[slot]:
                    info = infos[slot]
                    at = base + offset
                    if info >> LENGTH_SHIFT == size and mm[at : at + size] == suffix:
                        if info & 0xFFFF != NO_MASK:
                            found = info & 0xFFFF
                        if info & HAS_URLS:
                            rules += url_group(at + size)
                        break
                    info = 0
                    slot = (slot + 1) & slot_mask
                if dot < 0 or not info & HAS_CHILDREN:
                    break
                dot = key.rfind(b".", 0, dot)
            if found == NO_MASK:
                return (_EMPTY, 0, rules) if rules else nothing
            return (entries[found][0], entries[found][1], rules) if rules else entries[found]

        return resolve

    def _url_group(self, at: int) -> tuple[tuple[str, int], ...]:
        """The URL entries of the name whose group offset is stored at `at` (parsed once)."""
        group = self._groups.get(at)
        if group is not None:
            return group
        mm = self._mm
        (offset,) = _U32.unpack_from(mm, at)
        at_entry = self._urls_offset + offset
        (count,) = _U16.unpack_from(mm, at_entry)
        at_entry += 2
        entries = []
        for _ in range(count):
            (size,) = _U16.unpack_from(mm, at_entry)
            prefix = mm[at_entry + 2 : at_entry + 2 + size].decode("utf-8")
            (index,) = _U16.unpack_from(mm, at_entry + 2 + size)
            entries.append((prefix, self._masks[index]))
            at_entry += 4 + size
        group = self._groups[at] = tuple(entries)
        return group

    # -- masks ---------------------------------------------------------------------------------------

    def _names(self, mask: int) -> frozenset[str]:
        return frozenset(name for bit, name in enumerate(self.category_names) if mask >> bit & 1)

    def _set_for(self, mask: int) -> frozenset[str]:
        found = self._by_mask.get(mask)
        if found is None:
            found = self._by_mask[mask] = self._names(mask)
        return found

    # -- reporting -----------------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """Counts, file size, build time and source hashes, for reports and the benchmark."""
        header = self.header
        return {
            "path": str(self.path),
            "bytes": len(self._mm),
            "format": header["format"],
            "version": FORMAT_VERSION,
            "built_at": header.get("built_at"),
            "builder": header.get("builder"),
            "categories": list(self.category_names),
            "counts": dict(header.get("counts", {})),
            "sources": dict(header.get("sources", {})),
            "left_out": list(header.get("left_out", [])),
            "licence": header.get("licence"),
            "attribution": header.get("attribution"),
            "slots": header["table"][1],
        }


# The first segment of a path: "/" and what follows up to a segment's end (PATH_BOUNDARY) or the end.
_SEGMENT = re.compile(r"/[^/?&;=#]*")
UrlRules = tuple[tuple[str, int], ...]


def _segment(path: str) -> str:
    """The first segment of a path that starts with "/" (``/games`` of ``/games/snake?x``)."""
    found = _SEGMENT.match(path)
    return found.group() if found is not None else path


def segment_index(rules: UrlRules) -> dict[str | None, UrlRules]:
    """URL entries by the first segment a matching path must have; the entry "/" under None.

    A path matches an entry (`CategoryDB` lookup, 3.) only if it starts with the entry and goes on
    at a segment boundary, so its first segment is the entry's: ``/games/x`` and ``/games?y`` start
    with ``/games``, and ``/gamesroom`` does not. Only the entry "/" matches paths of any first
    segment. The index gives the entries worth testing; the test itself is unchanged.
    """
    index: dict[str | None, list[tuple[str, int]]] = {}
    for prefix, mask in rules:
        index.setdefault(None if prefix == "/" else _segment(prefix), []).append((prefix, mask))
    return {key: tuple(found) for key, found in index.items()}


def _closed(authority: str) -> Any:
    raise CategoryDBError("the category database was closed")


def _read_header(file: Path, mm: mmap.mmap, hint: str) -> dict[str, Any]:
    if len(mm) < PREAMBLE.size:
        raise CategoryDBError(f"{file}: too short to be a category database; {hint}")
    magic, version, length = PREAMBLE.unpack_from(mm, 0)
    if magic != MAGIC:
        raise CategoryDBError(f"{file}: not an aupguard category database (bad magic); {hint}")
    if version != FORMAT_VERSION:
        raise CategoryDBError(
            f"{file}: format version {version}, this aupguard reads version {FORMAT_VERSION}; rebuild: {hint}"
        )
    try:
        header: dict[str, Any] = json.loads(mm[PREAMBLE.size : PREAMBLE.size + length].decode("utf-8"))
        if not isinstance(header, dict):
            raise TypeError("not a JSON object")
        table_offset, slots = header["table"]
        names_offset, names_size = header["names"]
        urls_offset, urls_size = header["urls"]
        byteorder = header["byteorder"]
        categories, masks = header["categories"], header["masks"]
        if not all(isinstance(name, str) for name in categories) or not all(
            isinstance(m, int) for m in masks
        ):
            raise ValueError("categories and masks")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise CategoryDBError(f"{file}: damaged header ({exc}); {hint}") from None
    if header.get("format") != FORMAT_NAME:
        raise CategoryDBError(f"{file}: not an aupguard category database; {hint}")
    if byteorder != sys.byteorder:
        raise CategoryDBError(f"{file}: built on a {byteorder}-endian machine; rebuild it here: {hint}")
    end = max(table_offset + 8 * slots, names_offset + names_size, urls_offset + urls_size)
    if slots < 1 or slots & (slots - 1) or end > len(mm):
        raise CategoryDBError(f"{file}: truncated or damaged (sections past the end of the file); {hint}")
    return header
