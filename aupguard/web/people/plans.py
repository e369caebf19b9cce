"""What an import preview counts, for the staff directory and the pupils roster alike."""

from __future__ import annotations

from typing import Any


class PlanCounts:
    """For a plan whose `rows` each have an `action` ("add", "update", "unchanged" ...) and whose
    `problems` stop it from being applied."""

    rows: list[Any]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def count_add(self) -> int:
        return self.count("add")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")
