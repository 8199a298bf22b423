"""The funding plan: lines of spending in integer pence, and their totals.

Plain Python with no Flask imports. Lines are stored as a list of dicts in the plan's
"funding-plan" answers; amounts are integer pence so that totals are exact. Readers take the
plan's document (`PlanDocument.funding`); the helpers on stored lines below serve the funding
plan's own pages, which edit them.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from wizard.domain.plan_document import Funding as Funding
from wizard.domain.plan_document import PlanDocument
from wizard.domain.plan_document import Totals as Totals

MAX_LINES = 50


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


def summarise(plan: PlanDocument | Mapping[str, Any]) -> Funding:
    """The funding plan of a plan (its document, or its saved answers): its lines, the
    allocation, and totals overall, by purpose and by priority."""
    document = plan if isinstance(plan, PlanDocument) else PlanDocument.from_answers(plan)
    return document.funding
