"""What changed between two versions of a plan: compared from their documents (plain Python).

Each version is read from its snapshot as a `PlanDocument` (of whatever schema it was frozen in):
answers by step, the Diamond 9's rows by card key, the funding plan's lines by their ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.domain.journey import BOARD_STEP, FUNDING_STEP, JOURNEY
from wizard.domain.plan_document import FundingLine, PlanDocument

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


def _tasks(before: PlanDocument, after: PlanDocument) -> list[str]:
    """The tasks (other than the board and the funding plan) whose answers changed."""
    old, new = before.answers(), after.answers()
    return [
        task.key
        for task in JOURNEY.tasks
        if task.key not in (BOARD_STEP, FUNDING_STEP)
        and any(old.get(step.slug) != new.get(step.slug) for step in task.steps)
    ]


def _card_moves(before: PlanDocument, after: PlanDocument) -> list[CardMove]:
    """Cards added, removed or moved between rows: this board's order, then the ones gone."""
    rows_before, rows_after = before.board.rows, after.board.rows
    order = list(rows_after) + [card for card in rows_before if card not in rows_after]
    return [
        CardMove(card, rows_before.get(card), rows_after.get(card))
        for card in sorted(order, key=lambda c: (rows_after.get(c) or 99, c))
        if rows_before.get(card) != rows_after.get(card)
    ]


def _changed(previous: FundingLine, line: FundingLine) -> bool:
    return previous.amount_pence != line.amount_pence or any(
        getattr(previous, name) != getattr(line, name) for name in LINE_FIELDS
    )


def _line_changes(before: PlanDocument, after: PlanDocument) -> list[LineChange]:
    """Funding lines added or changed (in this plan's order), then removed, by their ids."""
    lines_before = {line.id: line for line in before.lines}
    lines_after = {line.id: line for line in after.lines}
    lines: list[LineChange] = []
    for line_id, line in lines_after.items():
        previous = lines_before.get(line_id)
        if previous is None:
            lines.append(LineChange("added", line.description, None, line.amount_pence))
        elif _changed(previous, line):
            lines.append(
                LineChange("changed", line.description, previous.amount_pence, line.amount_pence)
            )
    lines += [
        LineChange("removed", line.description, line.amount_pence, None)
        for line_id, line in lines_before.items()
        if line_id not in lines_after
    ]
    return lines


def compare(before: PlanDocument, after: PlanDocument) -> Changes:
    """The changes from version `before` to version `after`, in task-list order."""
    return Changes(_tasks(before, after), _card_moves(before, after), _line_changes(before, after))
