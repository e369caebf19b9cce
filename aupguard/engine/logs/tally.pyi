# Types of the compiled module tally.pyx (Cython).
from typing import Any

def tally(
    found: list[Any],
    whos: list[str],
    times: list[float],
    streaming: frozenset[str],
    streams: dict[frozenset[str], bool],
    flagged: dict[Any, list[float]],
    blocked: dict[str, int],
) -> tuple[dict[str, int], dict[frozenset[str], int], list[int], int]: ...
