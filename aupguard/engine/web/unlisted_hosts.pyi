# Types of the compiled module unlisted_hosts.pyx (Cython).
from collections.abc import Callable
from typing import Any

class UnlistedHosts:
    def __init__(
        self,
        probe: Callable[[str], tuple[int, tuple[int, ...]] | None],
        entries: list[Any],
        nothing: tuple[Any, ...],
        listed_pairs: frozenset[str],
        listed_names: frozenset[str],
        unlisted: tuple[str | None, ...],
        verdicts: dict[Any, Any],
        free_hosts: dict[Any, Any],
        path_hosts: dict[Any, Any],
        by_host: dict[Any, Any],
        max_entries: int,
    ) -> None: ...
    def fill(self, found: list[Any], hosts: list[str | None], rids: list[int | None]) -> None: ...
