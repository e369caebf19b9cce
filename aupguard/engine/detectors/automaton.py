"""The Aho-Corasick automaton the name and lexicon detectors walk a skeleton with: `new_automaton`.

The compiled one (`_automaton.pyx`: a full transition table walked in C, about five times faster
than pyahocorasick on a school email) where the install built it, else pyahocorasick's, which has
the same interface and finds the same hits (tests/engine/detectors/test_automaton.py).
"""

from __future__ import annotations

from typing import Any

import ahocorasick

try:
    from aupguard.engine.detectors import _automaton

    _COMPILED: Any = _automaton.Automaton
except ImportError:  # pragma: no cover (built wherever a C compiler is)
    _COMPILED = None

__all__ = ["compiled", "new_automaton"]


def compiled() -> bool:
    """Whether the detectors walk with the compiled automaton."""
    return _COMPILED is not None


def new_automaton() -> Any:
    """An empty automaton: `add_word`, `make_automaton`, `iter(text, ignore_white_space=True)`,
    `items()` and `len()`, as pyahocorasick's."""
    return _COMPILED() if _COMPILED is not None else ahocorasick.Automaton()
