"""The Diamond 9: nine slots in rows of 1-2-3-2-1, and every way a card can move.

Plain Python with no Flask imports. A board is a mapping of slot (1 to 9) to card key; any
state from 0 to 9 cards is valid, each card at most once. Slot 1 is row 1 (top), slots 2-3 row
2, 4-6 row 3, 7-8 row 4, slot 9 row 5; cards in the same row share the same rank.
"""

from __future__ import annotations

import enum
from collections.abc import Container, Mapping
from dataclasses import dataclass

from wizard.domain.inputs import parse_whole_number

ROWS: tuple[tuple[int, ...], ...] = ((1,), (2, 3), (4, 5, 6), (7, 8), (9,))
SLOTS: tuple[int, ...] = tuple(slot for row in ROWS for slot in row)
ROW_OF: dict[int, int] = {slot: index + 1 for index, row in enumerate(ROWS) for slot in row}
ROW_COUNT = len(ROWS)
CAPACITY: dict[int, int] = {index + 1: len(row) for index, row in enumerate(ROWS)}

Board = Mapping[int, str]


class MoveError(enum.Enum):
    UNKNOWN_CARD = "unknown-card"
    UNKNOWN_TARGET = "unknown-target"
    NOT_ON_BOARD = "not-on-board"
    BOARD_FULL = "board-full"
    NO_ROW_THERE = "no-row-there"
    NOTHING_TO_UNDO = "nothing-to-undo"


class InvalidMove(ValueError):
    def __init__(self, reason: MoveError) -> None:
        super().__init__(reason.value)
        self.reason = reason


class ChooseCard(Exception):  # noqa: N818 (not an error: a question back to the person)
    """The card is going into a full row (or a full board) with more than one card it could
    swap with: the person chooses which, instead of a silent swap with the first one."""

    def __init__(self, card: str, row: int | None, candidates: list[str]) -> None:
        super().__init__(card)
        self.card = card
        self.row = row
        """The full row, or None when the whole board is full (a card from the bank)."""
        self.candidates = candidates


@dataclass(frozen=True)
class Move:
    """What a move did, for the announcement: the card, where it went (None = the bank), and
    the card it swapped with, if any."""

    card: str
    slot: int | None
    swapped: str | None = None

    @property
    def row(self) -> int | None:
        return ROW_OF[self.slot] if self.slot else None


def slot_of(board: Board, card: str) -> int | None:
    return next((slot for slot, placed in board.items() if placed == card), None)


def is_complete(board: Board) -> bool:
    return len(board) == len(SLOTS)


def normalise(raw: Mapping[str, str] | Mapping[int, str] | None) -> dict[int, str]:
    """Read a stored board (JSON keys are strings), dropping anything invalid."""
    board: dict[int, str] = {}
    seen: set[str] = set()
    for key, card in (raw or {}).items():
        slot = parse_whole_number(str(key), maximum=len(SLOTS)) or 0
        if slot in ROW_OF and isinstance(card, str) and card and card not in seen:
            board[slot] = card
            seen.add(card)
    return board


def to_stored(board: Board) -> dict[str, str]:
    return {str(slot): board[slot] for slot in sorted(board)}


def _free_slot(board: Board, row: int) -> int | None:
    return next((slot for slot in ROWS[row - 1] if slot not in board), None)


def first_free_slot(board: Board) -> int | None:
    """The free slot nearest the top, for "Add to the board"."""
    return next((slot for slot in SLOTS if slot not in board), None)


def _into_row(board: Board, card: str, current: int | None, row: int) -> int:
    """A free place in the row; else its one card (a swap); else the person chooses."""
    if current is not None and ROW_OF[current] == row:
        return current
    free = _free_slot(board, row)
    if free is not None:
        return free
    slots = ROWS[row - 1]
    if len(slots) == 1:
        return slots[0]
    raise ChooseCard(card, row, [board[slot] for slot in slots])


def _destination(board: Board, card: str, current: int | None, target: str) -> int:
    """The slot a card is going to, or InvalidMove, or ChooseCard."""
    if target in ("up", "down"):
        if current is None:
            raise InvalidMove(MoveError.NOT_ON_BOARD)
        row = ROW_OF[current] + (-1 if target == "up" else 1)
        if not 1 <= row <= ROW_COUNT:
            raise InvalidMove(MoveError.NO_ROW_THERE)
        return _into_row(board, card, current, row)
    if target == "next":
        if current is not None:
            return current
        free = first_free_slot(board)
        if free is None:
            raise ChooseCard(card, None, [board[slot] for slot in SLOTS if slot in board])
        return free
    if target.startswith("with:"):
        # Swap with a chosen card: it must be on the board.
        other = slot_of(board, target[len("with:") :])
        if other is None:
            raise InvalidMove(MoveError.UNKNOWN_TARGET)
        return other
    if (slot := parse_whole_number(target, maximum=len(SLOTS))) is not None and slot in ROW_OF:
        return slot
    if target.startswith("row-") and (parse_whole_number(target[4:], maximum=ROW_COUNT) or 0) >= 1:
        return _into_row(board, card, current, int(target[4:]))
    raise InvalidMove(MoveError.UNKNOWN_TARGET)


def read_move(form: Mapping[str, str]) -> tuple[str, str]:
    """The card and where it goes, from a posted move: one button's value in "m" ("card:pedagogy
    up", "card:pedagogy with:card:leadership"), or the fields a drag sends (card and to, with
    slot for to="slot"). Both parts are stripped; either may be empty."""
    combined = (form.get("m") or "").strip()
    if combined:
        card, _space, target = combined.partition(" ")
        return card.strip(), target.strip()
    card = (form.get("card") or "").strip()
    target = (form.get("to") or "").strip()
    if target == "slot":
        target = (form.get("slot") or "").strip()
    return card, target


def swap_choices(board: Board, card: str) -> list[str]:
    """The cards a card could swap with ("Swap with..."): every other card on the board."""
    return [board[slot] for slot in SLOTS if slot in board and board[slot] != card]


def move(
    board: Board, card: str, target: str, known_cards: Container[str]
) -> tuple[dict[int, str], Move]:
    """Apply one move and return the new board and what happened.

    `target` is a slot number ("1" to "9": an occupied slot swaps the two cards), "with:<card>"
    (swap with that card, wherever it is), a row ("row-1" to "row-5": a free place in it), "next"
    (the first free slot, for a card in the bank), "up" or "down" (one row), or "bank".

    A row that is full swaps with its only card, or, with two or three cards in it, raises
    ChooseCard so that the person says which card to swap with; so does "next" on a full board.
    """
    if card not in known_cards:
        raise InvalidMove(MoveError.UNKNOWN_CARD)
    new = dict(board)
    current = slot_of(new, card)
    if target == "bank":
        if current is not None:
            del new[current]
        return new, Move(card, None)
    destination = _destination(new, card, current, target)
    if destination == current:
        return new, Move(card, current)
    displaced = new.get(destination)
    if current is not None:
        del new[current]
        if displaced is not None:
            new[current] = displaced  # the two cards swap
    # A card from the bank that takes an occupied slot sends the other card to the bank.
    new[destination] = card
    return new, Move(card, destination, displaced)


@dataclass(frozen=True)
class RowProblem:
    row: int
    count: int
    capacity: int


def arrange(
    rows: Mapping[str, int | None], known_cards: Container[str]
) -> tuple[dict[int, str], list[RowProblem]]:
    """Lay out a whole board from a row (or None, not on the board) for each chosen card.

    Returns the board and no problems, or an empty board and the rows that are wrong: every
    row with too many cards and, when all nine cards are placed, every row with too few.
    Cards keep the order they were given in within a row.
    """
    by_row: dict[int, list[str]] = {row: [] for row in range(1, ROW_COUNT + 1)}
    for card, row in rows.items():
        if card not in known_cards:
            raise InvalidMove(MoveError.UNKNOWN_CARD)
        if row is None:
            continue
        if row not in by_row:
            raise InvalidMove(MoveError.UNKNOWN_TARGET)
        by_row[row].append(card)
    placed = sum(len(cards) for cards in by_row.values())
    problems = [
        RowProblem(row, len(cards), CAPACITY[row])
        for row, cards in by_row.items()
        if len(cards) > CAPACITY[row] or (placed >= len(SLOTS) and len(cards) < CAPACITY[row])
    ]
    # Capacities add up to nine, so a row with too few cards among nine always comes with a
    # row with too many: any problem means the arrangement is refused.
    if problems:
        return {}, problems
    board: dict[int, str] = {}
    for row, cards in by_row.items():
        for slot, card in zip(ROWS[row - 1], cards, strict=False):
            board[slot] = card
    return board, []


def ranked(board: Board) -> list[list[str]]:
    """The cards row by row, top first, for the ranked summary."""
    return [[board[slot] for slot in row if slot in board] for row in ROWS]


# -----------------------------------------------------------------------------
# Undo: the last moves, newest last, each with the board as it was before it
# -----------------------------------------------------------------------------

UNDO_DEPTH = 2


@dataclass(frozen=True)
class Step:
    """One move that can be undone: the board before it, what it did (card None: the whole
    board was arranged at once), and who made it and when (ISO 8601, UTC)."""

    before: dict[int, str]
    card: str | None
    slot: int | None
    swapped: str | None
    by: int | None
    at: str

    @property
    def move(self) -> Move | None:
        return Move(self.card, self.slot, self.swapped) if self.card else None

    def to_stored(self) -> dict[str, object]:
        return {
            "before": to_stored(self.before),
            "card": self.card,
            "slot": self.slot,
            "swapped": self.swapped,
            "by": self.by,
            "at": self.at,
        }


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def read_history(raw: object) -> list[Step]:
    """Read a stored undo history safely: anything malformed is dropped."""
    steps: list[Step] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        before = item.get("before")
        slot = item.get("slot")
        by = item.get("by")
        steps.append(
            Step(
                before=normalise(before if isinstance(before, dict) else None),
                card=_text(item.get("card")),
                slot=slot if isinstance(slot, int) and slot in ROW_OF else None,
                swapped=_text(item.get("swapped")),
                by=by if isinstance(by, int) and not isinstance(by, bool) else None,
                at=_text(item.get("at")) or "",
            )
        )
    return steps[-UNDO_DEPTH:]


def remember(history: list[Step], step: Step) -> list[Step]:
    """The history after one more move: only the last UNDO_DEPTH are kept."""
    return [*history, step][-UNDO_DEPTH:]


def undo(history: list[Step]) -> tuple[dict[int, str], list[Step]]:
    """The board before the last move, and the history without it."""
    if not history:
        raise InvalidMove(MoveError.NOTHING_TO_UNDO)
    return dict(history[-1].before), history[:-1]
