"""What changed between two versions of a plan: compared from their snapshots (plain Python).

A snapshot is what `summary.build_snapshot` makes: answers by step key, the Diamond 9 in the
board step's "slots", the funding plan's lines (each with its id) in the funding step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard.domain.diamond import ROW_OF, normalise
from wizard.domain.funding import lines_of
from wizard.domain.journey import BOARD_STEP, FUNDING_STEP, JOURNEY

# What a funding line is compared on (its id says which line it is).
LINE_FIELDS = ("purpose", "purpose_other", "priority", "beneficiaries", "term", "description")


@dataclass(frozen=True)
class CardMove:
    """A card on the board: its row before and after (None: not on the board)."""

    card: str
    before: int | None
    after: int | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "moved"


@dataclass(frozen=True)
class LineChange:
    """A funding line added, changed or removed, by its description and amount (pence)."""

    kind: str
    description: str
    amount_before: int | None
    amount_after: int | None


@dataclass(frozen=True)
class Changes:
    """The change list: task keys whose answers changed, card moves, funding line changes."""

    tasks: list[str] = field(default_factory=list)
    cards: list[CardMove] = field(default_factory=list)
    lines: list[LineChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tasks or self.cards or self.lines)


def _answers(snapshot: Mapping[str, Any]) -> Mapping[str, Any]:
    answers = snapshot.get("answers")
    return answers if isinstance(answers, Mapping) else {}


def _rows(answers: Mapping[str, Any]) -> dict[str, int]:
    board = normalise((answers.get(BOARD_STEP) or {}).get("slots"))
    return {card: ROW_OF[slot] for slot, card in board.items()}


def _amount(line: Mapping[str, Any]) -> int:
    return int(line.get("amount_pence") or 0)


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """The changes from snapshot `before` to snapshot `after`, in task-list order."""
    old, new = _answers(before), _answers(after)
    tasks = [
        task.key
        for task in JOURNEY.tasks
        if task.key not in (BOARD_STEP, FUNDING_STEP)
        and any(old.get(step.slug) != new.get(step.slug) for step in task.steps)
    ]
    rows_before, rows_after = _rows(old), _rows(new)
    order = list(rows_after) + [card for card in rows_before if card not in rows_after]
    cards = [
        CardMove(card, rows_before.get(card), rows_after.get(card))
        for card in sorted(order, key=lambda c: (rows_after.get(c) or 99, c))
        if rows_before.get(card) != rows_after.get(card)
    ]
    lines_before = {line["id"]: line for line in lines_of(old.get(FUNDING_STEP))}
    lines_after = {line["id"]: line for line in lines_of(new.get(FUNDING_STEP))}
    lines: list[LineChange] = []
    for line_id, line in lines_after.items():
        previous = lines_before.get(line_id)
        description = str(line.get("description") or "")
        if previous is None:
            lines.append(LineChange("added", description, None, _amount(line)))
        elif _amount(previous) != _amount(line) or any(
            previous.get(name) != line.get(name) for name in LINE_FIELDS
        ):
            lines.append(LineChange("changed", description, _amount(previous), _amount(line)))
    for line_id, line in lines_before.items():
        if line_id not in lines_after:
            lines.append(
                LineChange("removed", str(line.get("description") or ""), _amount(line), None)
            )
    return Changes(tasks, cards, lines)
