"""Domain lists a pack names: sites always allowed, and illegal content nothing can unblock.

A list is a text file ``lists/NAME.txt`` beside the packs (settings `allowed_lists` and
`illegal_content_lists`), one entry per line, "#" starting a comment:

- a domain (``teams.microsoft.com``): it and every subdomain match;
- a URL prefix without the scheme (``bbc.co.uk/bitesize``): that host (and its subdomains) with a
  path that is the prefix's path or goes on from it after ``/``, ``?`` and the like
  (``/bitesize/primary``, not ``/bitesizes``), in any case — as the category database matches URLs.

The same entries can come from a pack's own settings (`allowed_domains`, `blocked_domains`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DomainList", "ListError", "domain_list", "is_under", "read_list"]


class ListError(Exception):
    """A list file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class DomainList:
    name: str
    domains: frozenset[str]
    # host -> path prefixes (each starting with "/")
    prefixes: dict[str, tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.domains) + sum(map(len, self.prefixes.values()))

    def match(self, host: str, path: str = "/") -> str | None:
        """The entry that `host` and `path` fall under, or None. `host` is already normalised."""
        labels = host.split(".")
        for i in range(len(labels)):
            suffix = ".".join(labels[i:])
            if suffix in self.domains:
                return suffix
            for prefix in self.prefixes.get(suffix, ()):
                if is_under(path, prefix):
                    return suffix + prefix
        return None


_BOUNDARY = frozenset("/?&;=#")


def is_under(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or goes on from it at a boundary (/bitesize is not /bitesizes)."""
    if not path.lower().startswith(prefix):
        return False
    return len(path) == len(prefix) or prefix[-1] in _BOUNDARY or path[len(prefix)] in _BOUNDARY


def _entry(line: str) -> tuple[str, str] | None:
    text = line.split("#", 1)[0].strip().lower()
    if not text:
        return None
    text = text.removeprefix("http://").removeprefix("https://")
    host, slash, path = text.partition("/")
    host = host.rstrip(".").split(":", 1)[0]
    if not host or " " in text or "." not in host:
        raise ValueError(f"expected a domain or a URL prefix such as bbc.co.uk/bitesize, got {text!r}")
    return host, (slash + path) if slash and path else ""


def domain_list(name: str, entries: Iterable[str]) -> DomainList:
    """A list from entries given in code or in a pack's settings; ValueError names a bad entry."""
    domains: set[str] = set()
    prefixes: dict[str, list[str]] = {}
    for raw in entries:
        entry = _entry(raw)
        if entry is None:
            continue
        host, path = entry
        if path:
            prefixes.setdefault(host, []).append(path)
        else:
            domains.add(host)
    return DomainList(name, frozenset(domains), {h: tuple(sorted(p)) for h, p in prefixes.items()})


def read_list(path: Path) -> DomainList:
    """The list in the file at `path`; ListError names every bad line."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ListError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ListError(f"{path}: not UTF-8 text") from None
    problems = []
    for number, line in enumerate(lines, 1):
        try:
            _entry(line)
        except ValueError as exc:
            problems.append(f"{path}:{number}: {exc}")
    if problems:
        raise ListError("\n".join(problems))
    return domain_list(path.stem, lines)
