"""Checks: pure functions of (compiled pack, context, input) that return a decision.

`email` holds every `email.*` check of DESIGN.md's catalogue; `text` holds `ai.personal_data`. The
guards (relay, CLI, HTTP endpoint) parse their input and call these; nothing here does I/O.
"""

from aupguard.engine.checks.context import CheckContext, People

__all__ = ["CheckContext", "People"]
