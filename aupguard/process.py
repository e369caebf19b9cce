"""How aupguard's long-running commands set up their process (the guards and the log scan)."""

from __future__ import annotations

import gc

__all__ = ["quiet_gc"]


def quiet_gc() -> None:
    """Tune the process's cyclic garbage collector for a guard, once what it keeps is loaded.

    What a guard keeps (the pack, the directory and roster with their name index, the category
    database's caches, the caches of decisions) holds no reference cycles, and what is loaded at
    start lives as long as the process. So it leaves the collector's generations (`gc.freeze`), and
    the collector runs less often: otherwise every full collection walks the roster's name index and
    the pack again (a tenth of the email guard's detection time with a 2,000-pupil roster, 6% of
    the Squid helper's instructions for the benchmark's day). Reference counting frees everything as
    before; only a cycle waits a little longer.
    """
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
