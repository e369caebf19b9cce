# Types of the compiled module tally.pyx (Cython).
from typing import Any

def tally(
    found: list[Any], whos: list[str], streaming: frozenset[str], streams: dict[frozenset[str], bool]
) -> tuple[dict[str, int], dict[frozenset[str], int], list[int], list[int]]: ...
