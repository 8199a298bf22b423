"""Two years side by side: how the Diamond 9, hallmark ratings and funding changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import LazyString

from wizard.domain import framework
from wizard.domain.plan_document import PlanDocument


@dataclass(frozen=True)
class CardMove:
    card: str
    before: int | None  # row last year, None if not on the board
    after: int | None

    @property
    def change(self) -> int:
        """Rows moved up (positive) or down (negative); 0 if new, removed or unmoved."""
        if self.before is None or self.after is None:
            return 0
        return self.before - self.after


@dataclass(frozen=True)
class RatingChange:
    """A hallmark's rating in each year (None: not rated)."""

    hallmark: framework.Hallmark
    before: str | None
    after: str | None

    @property
    def before_title(self) -> LazyString | None:
        return framework.RATING_TITLES.get(self.before or "")

    @property
    def after_title(self) -> LazyString | None:
        return framework.RATING_TITLES.get(self.after or "")

    @property
    def changed(self) -> bool:
        return bool(self.before and self.after and self.before != self.after)


def rows_by_card(
    document: PlanDocument, identity: Callable[[str], str]
) -> dict[str, tuple[str, int]]:
    """identity -> (card key, row) for the cards on a board."""
    return {identity(card): (card, row) for card, row in document.board.rows.items()}


def board_moves(
    before: PlanDocument,
    after: PlanDocument,
    identity_before: Callable[[str], str] = str,
    identity_after: Callable[[str], str] = str,
) -> list[CardMove]:
    """Every card on either board, this year's order first, then the ones that left.

    A school's own cards are copied into next year's plan under new keys, so each year's keys
    are first turned into an identity both years share (for own cards, their titles).
    """
    old = rows_by_card(before, identity_before)
    new = rows_by_card(after, identity_after)
    by_row = sorted(new.items(), key=lambda item: item[1][1])
    moves = [
        CardMove(key, old[ident][1] if ident in old else None, row) for ident, (key, row) in by_row
    ]
    gone = sorted(old.items(), key=lambda item: item[1][1])
    moves += [CardMove(key, row, None) for ident, (key, row) in gone if ident not in new]
    return moves


def rating_changes(before: PlanDocument, after: PlanDocument) -> list[RatingChange]:
    """Each hallmark (by its stable id), in the order shown, with its rating in both years."""
    return [RatingChange(h, before.rating(h.id), after.rating(h.id)) for h in framework.HALLMARKS]


def funding_by_purpose(
    before: PlanDocument, after: PlanDocument
) -> list[tuple[framework.FundingPurpose, int, int]]:
    old, new = before.funding.by_purpose, after.funding.by_purpose
    return [(p, old.get(p.key, 0), new.get(p.key, 0)) for p in framework.FUNDING_PURPOSES]
