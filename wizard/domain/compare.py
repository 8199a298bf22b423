"""Two years side by side: how the Diamond 9, hallmark ratings and funding changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wizard.domain import framework
from wizard.domain.diamond import ROW_OF, normalise
from wizard.domain.funding import summarise as summarise_funding
from wizard.domain.journey import BOARD_STEP


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


def rows_by_card(
    answers: dict[str, Any], identity: Callable[[str], str]
) -> dict[str, tuple[str, int]]:
    """identity -> (card key, row) for the cards on a board."""
    board = normalise((answers.get(BOARD_STEP) or {}).get("slots"))
    return {identity(card): (card, ROW_OF[slot]) for slot, card in board.items()}


def board_moves(
    before: dict[str, Any],
    after: dict[str, Any],
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


def rating_changes(
    before: dict[str, Any], after: dict[str, Any]
) -> list[tuple[Any, str | None, str | None]]:
    def rating(answers: dict[str, Any], number: int) -> str | None:
        value: str | None = (answers.get(f"hallmark-{number}") or {}).get("rating")
        return value

    return [(h, rating(before, h.number), rating(after, h.number)) for h in framework.HALLMARKS]


def funding_by_purpose(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[Any, int, int]]:
    old, new = summarise_funding(before).by_purpose, summarise_funding(after).by_purpose
    return [(p, old.get(p.key, 0), new.get(p.key, 0)) for p in framework.FUNDING_PURPOSES]
