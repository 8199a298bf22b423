"""The funding plan: lines of spending in integer pence, and their totals.

Plain Python with no Flask imports. Lines are stored as a list of dicts in the plan's
"funding-plan" answers; amounts are integer pence so that totals are exact.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from wizard.domain.journey import ABOUT_STEP, FUNDING_STEP

MAX_LINES = 50


@dataclass(frozen=True)
class Totals:
    allocation: int | None
    planned: int

    @property
    def remaining(self) -> int | None:
        return None if self.allocation is None else self.allocation - self.planned

    @property
    def over(self) -> int:
        """How much more than the allocation is planned (0 if within it)."""
        remaining = self.remaining
        return -remaining if remaining is not None and remaining < 0 else 0


def lines_of(data: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    lines = (data or {}).get("lines") or []
    return [line for line in lines if isinstance(line, dict) and line.get("id")]


def new_line_id() -> str:
    return secrets.token_hex(6)


def find_line(lines: Iterable[Mapping[str, Any]], line_id: str) -> Mapping[str, Any] | None:
    return next((line for line in lines if line.get("id") == line_id), None)


def replace_line(lines: list[dict[str, Any]], line: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines with `line` in place of the one with its id, or added at the end."""
    if any(existing["id"] == line["id"] for existing in lines):
        return [line if existing["id"] == line["id"] else existing for existing in lines]
    return [*lines, line]


def planned(lines: Iterable[Mapping[str, Any]]) -> int:
    return sum(int(line.get("amount_pence") or 0) for line in lines)


def totals(lines: Iterable[Mapping[str, Any]], allocation: int | None) -> Totals:
    return Totals(allocation, planned(lines))


def totals_with(
    lines: list[dict[str, Any]], line_id: str | None, amount: int, allocation: int | None
) -> Totals:
    """The totals if the line `line_id` (None: a new line) had this amount."""
    others = [line for line in lines if line.get("id") != line_id]
    return Totals(allocation, planned(others) + amount)


def by(lines: Iterable[Mapping[str, Any]], field: str) -> dict[str, int]:
    """Pence per value of a field (purpose, priority), in the order first seen."""
    result: dict[str, int] = defaultdict(int)
    for line in lines:
        result[str(line.get(field) or "")] += int(line.get("amount_pence") or 0)
    return dict(result)


@dataclass(frozen=True)
class FundingSummary:
    lines: list[dict[str, Any]]
    totals: Totals
    by_purpose: dict[str, int]
    by_priority: dict[str, int]


def summarise(answers: Mapping[str, Mapping[str, Any]]) -> FundingSummary:
    """The funding plan of a plan's answers: its lines, totals, and totals by purpose and priority."""
    lines = lines_of(answers.get(FUNDING_STEP))
    allocation = (answers.get(ABOUT_STEP) or {}).get("funding_allocation_pence")
    return FundingSummary(
        lines, totals(lines, allocation), by(lines, "purpose"), by(lines, "priority")
    )
