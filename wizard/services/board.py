"""The Diamond 9 board's use cases: move a card, undo, arrange the whole board, add, change and
delete the school's own cards, and apply (or undo) the staff's consensus board.

One implementation of the move protocol with two stores:

- `SchoolBoard`: the school's board, saved with a compare-and-set on the board's version, with
  an undo history, an audit event and who changed it (for a stale save);
- `ResponderBoard`: a staff voice responder's own board, saved with their response.

Every function takes plain values (no request, no Flask) and returns an immutable result: the
board after (or as it is now), what happened and what changed. The words shown to the person are
the views' (wizard.web.board_words): a result carries kinds, not sentences.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, ClassVar, Protocol

from wizard.data import staff_voice as responses
from wizard.data.boards import (
    BoardChange,
    BoardState,
    CardChanged,
    board_change,
    board_version,
    delete_own_card,
    find_own_card,
    load_board,
    save_board,
    save_own_card,
)
from wizard.data.caps import CapReached
from wizard.data.plans import get_or_create_plan, require_draft
from wizard.domain.cards import CardInfo
from wizard.domain.diamond import (
    ROW_COUNT,
    ROW_OF,
    SLOTS,
    ChooseCard,
    InvalidMove,
    Move,
    MoveError,
    RowProblem,
    Step,
    arrange,
    is_complete,
    normalise,
    remember,
    slot_of,
    swap_choices,
    undo,
)
from wizard.domain.diamond import move as move_on
from wizard.domain.inputs import parse_whole_number
from wizard.services.offered import require_offered

if TYPE_CHECKING:
    from wizard.data.models import OwnCard, Plan, StaffVoiceResponse, StaffVoiceRound, User

__all__ = [
    "BoardChange",
    "BoardState",
    "MoveError",
    "RowProblem",
]


# The two stores -------------------------------------------------------------------------------


class BoardStore(Protocol):
    """Where a board is loaded from and saved to."""

    keeps_history: ClassVar[bool]
    """Whether moves can be undone (and the version is checked before a move)."""

    @property
    def user_id(self) -> int | None: ...

    def load(self) -> BoardState:
        """The board as it is now, ready to change (PlanLocked when it may not change)."""
        ...

    def save(
        self, state: BoardState, board: dict[int, str], history: list[Step]
    ) -> BoardState | None:
        """Save `board` over `state`: the board as saved, or None when it changed meanwhile."""
        ...


@dataclass(frozen=True)
class SchoolBoard:
    """The school's board for a year: compare-and-set on its version, with undo history."""

    school_id: int
    academic_year: int
    locale: str
    user: User | None = None
    keeps_history: ClassVar[bool] = True

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    def read(self) -> BoardState:
        """The board to show (any plan, a submitted one too)."""
        return load_board(self.school_id, self.academic_year, self.locale)

    def load(self) -> BoardState:
        state = self.read()
        require_draft(state.plan)  # htmx gets HX-Redirect to the task list (web/errors.py)
        require_offered(self.school_id, self.academic_year, state.plan)  # so does this
        return state

    def save(
        self, state: BoardState, board: dict[int, str], history: list[Step]
    ) -> BoardState | None:
        assert self.user is not None  # only a signed-in member changes the school's board
        saved = save_board(
            state,
            self.school_id,
            self.academic_year,
            board,
            state.version,
            self.user,
            history=history,
        ).saved
        if not saved:
            return None
        return replace(state, board=board, version=state.version + 1, history=history)


@dataclass(frozen=True)
class ResponderBoard:
    """A staff voice responder's own board, from the school's cards with nothing of the
    school's self-review (no suggested cards, no "You rated hallmark 8 as...": those are the
    school's ratings, not the responder's, and they would steer them)."""

    plan: Plan
    round: StaffVoiceRound
    response: StaffVoiceResponse | None
    today: date
    locale: str
    keeps_history: ClassVar[bool] = False

    @property
    def user_id(self) -> int | None:
        return None

    def load(self) -> BoardState:
        school = load_board(self.plan.school_id, self.plan.academic_year, self.locale, neutral=True)
        board = normalise(self.response.board) if self.response else {}
        known = {slot: card for slot, card in board.items() if card in school.catalogue}
        return BoardState(school.plan, known, 0, school.catalogue, school.answers)

    def save(
        self, state: BoardState, board: dict[int, str], history: list[Step]
    ) -> BoardState | None:
        responses.save_response(self.round, self.response, self.today, board=board)
        return replace(state, board=board)


# What a move returns --------------------------------------------------------------------------


class Outcome(enum.Enum):
    MOVED = "moved"
    """A card moved (or stayed where it was asked to go)."""
    UNDONE = "undone"
    ASKED = "asked"
    """Nothing moved yet: a question first (which row, which card to swap with)."""
    CANCELLED = "cancelled"
    REFUSED = "refused"
    """The move cannot be made (`error` says why); nothing changed."""
    STALE = "stale"
    """The board changed since the page was loaded; nothing changed. `state` is the board now."""
    CLOSED = "closed"
    """The responder's round closed; nothing changed."""


@dataclass(frozen=True)
class Changes:
    """What a move changed, so that only that is sent back: the places whose card changed, the
    rows whose count changed, and how the card bank changed."""

    slots: list[int]
    rows: list[int]
    left_bank: list[str]
    """Cards that were in the bank and are now on the board: removed from the bank."""
    returned: list[tuple[str, str | None]]
    """Cards back in the bank, each with the bank card it goes before (None: at the end)."""
    full_changed: bool
    whole_bank: bool = False
    """The bank changed more than by the moved cards (a merged card shown or hidden again):
    it is sent whole."""


NOTHING = Changes([], [], [], [], False)


def changes(before: Mapping[int, str], state: BoardState) -> Changes:
    """What changed between the board `before` and the board in `state`."""
    after = state.board
    slots = [slot for slot in SLOTS if before.get(slot) != after.get(slot)]
    rows = sorted({ROW_OF[slot] for slot in slots})
    was, now = set(before.values()), set(after.values())
    bank = [card.key for card in state.catalogue.bank(now)]
    bank_before = {card.key for card in state.catalogue.bank(was)}
    whole_bank = set(bank) != (bank_before - now) | (was - now)
    returned = []
    for key in was - now:
        position = bank.index(key) if key in bank else len(bank)
        following = next((k for k in bank[position + 1 :] if k not in was - now), None)
        returned.append((key, following))
    return Changes(
        slots=slots,
        rows=rows,
        left_bank=sorted(now - was),
        returned=returned,
        full_changed=is_complete(before) != is_complete(after),
        whole_bank=whole_bank,
    )


@dataclass(frozen=True)
class Chooser:
    """A question before a move: which card to swap with, or which row."""

    card: str
    row: int | None
    candidates: list[str]
    swap_any: bool = False
    """True for "Swap with...": any card on the board."""
    pick_row: bool = False
    """True for "Move to row...": which row (`row` is then the card's own row)."""


def question_before(state: BoardState, card: str, target: str) -> Chooser | None:
    """The question "Move to row" and "Swap with..." ask before anything moves (which row,
    which card), or None for a move made at once."""
    if card not in state.catalogue:
        return None
    if target == "rows":
        current = slot_of(state.board, card)
        return Chooser(card, ROW_OF[current] if current else None, [], pick_row=True)
    if target == "swap":
        return Chooser(card, None, swap_choices(state.board, card), swap_any=True)
    return None


@dataclass(frozen=True)
class MoveResult:
    """What a move did: the board after it (for STALE, the board as it is now), the board
    before it, and what to tell the person."""

    outcome: Outcome
    state: BoardState
    before: Mapping[int, str]
    card: str | None = None
    """The card the page shows as moved (and focuses)."""
    done: Move | None = None
    undone: Step | None = None
    """UNDONE: the move undone."""
    error: MoveError | None = None
    question: Chooser | None = None
    change: BoardChange | None = None
    """STALE: who changed the board, and when."""
    changes: Changes | None = None
    """What changed, for a partial answer; None: send the whole board."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _stale(state: BoardState) -> MoveResult:
    return MoveResult(Outcome.STALE, state, dict(state.board), change=board_change(state))


def move(store: BoardStore, card: str, target: str, based_on: int | None = None) -> MoveResult:
    """One card moves: placed, moved up or down, moved to a row or a place, swapped with a
    chosen card, or returned to the bank; or the last move is undone ("undo"), or a question is
    closed ("cancel"). On a board with history, `based_on` (the version the page showed) must be
    the board's version, else nothing changes (STALE)."""
    state = store.load()
    before = dict(state.board)
    if store.keeps_history and based_on != state.version:
        return _stale(state)
    if target == "undo" and store.keeps_history:
        return _undo(store, state)
    if target == "cancel":
        known = card in state.catalogue
        return MoveResult(
            Outcome.CANCELLED, state, before, card=card if known else None, changes=NOTHING
        )
    question = question_before(state, card, target)
    if question is not None:
        return MoveResult(Outcome.ASKED, state, before, question=question, changes=NOTHING)
    try:
        new_board, done = move_on(state.board, card, target, state.catalogue)
    except ChooseCard as asked:
        chooser = Chooser(asked.card, asked.row, asked.candidates)
        return MoveResult(Outcome.ASKED, state, before, question=chooser, changes=NOTHING)
    except InvalidMove as problem:
        return MoveResult(Outcome.REFUSED, state, before, error=problem.reason)
    after = replace(state, board=new_board)
    if new_board != before:
        history = state.history
        if store.keeps_history:
            step = Step(before, done.card, done.slot, done.swapped, store.user_id, _now())
            history = remember(history, step)
        try:
            saved = store.save(state, new_board, history)
        except responses.RoundClosed:
            return MoveResult(Outcome.CLOSED, state, before)
        if saved is None:
            return _stale(store.load())
        after = saved
    return MoveResult(
        Outcome.MOVED, after, before, card=done.card, done=done, changes=changes(before, after)
    )


def _undo(store: BoardStore, state: BoardState) -> MoveResult:
    """Undo the last move: itself a move, made only on the board the person is looking at."""
    before = dict(state.board)
    try:
        new_board, remaining = undo(state.history)
    except InvalidMove as problem:
        return MoveResult(Outcome.REFUSED, state, before, error=problem.reason)
    saved = store.save(state, new_board, remaining)
    if saved is None:
        return _stale(store.load())
    last = state.history[-1]
    focus = last.card if last.card else next(iter(new_board.values()), "")
    return MoveResult(
        Outcome.UNDONE, saved, before, card=focus, undone=last, changes=changes(before, saved)
    )


# The whole board at once (without JavaScript) -------------------------------------------------


class ArrangeError(enum.Enum):
    TWICE = "twice"
    """A card was sent more than once."""
    NOT_A_ROW = "not-a-row"
    UNKNOWN_CARD = "unknown-card"
    ROW = "row"
    """A row with too many (or, with nine cards placed, too few) cards: see `row`."""


@dataclass(frozen=True)
class ArrangeProblem:
    error: ArrangeError
    card: str | None = None
    row: RowProblem | None = None


@dataclass(frozen=True)
class ArrangeResult:
    outcome: Outcome
    """MOVED (the board was arranged), REFUSED (see `problems`) or STALE."""
    state: BoardState
    chosen: dict[str, int | None]
    """The row chosen for each card (None: the bank), to show again when refused."""
    problems: tuple[ArrangeProblem, ...] = ()
    change: BoardChange | None = None


def _read_rows(
    rows: Mapping[str, Sequence[str]],
) -> tuple[dict[str, int | None], list[ArrangeProblem]]:
    chosen: dict[str, int | None] = {}
    problems: list[ArrangeProblem] = []
    for key, values in rows.items():
        if len(values) > 1:
            problems.append(ArrangeProblem(ArrangeError.TWICE, key))
            continue
        value = values[0].strip() if values else ""
        if value == "":
            chosen[key] = None
        elif (row := parse_whole_number(value, maximum=ROW_COUNT)) is not None and row >= 1:
            chosen[key] = row
        else:
            problems.append(ArrangeProblem(ArrangeError.NOT_A_ROW, key))
    return chosen, problems


def arrange_board(
    store: SchoolBoard, rows: Mapping[str, Sequence[str]], based_on: int | None
) -> ArrangeResult:
    """Lay out the whole board from the rows chosen for each card (each card's values as sent:
    one row number, or "" for the bank)."""
    state = store.load()
    chosen, problems = _read_rows(rows)
    unknown = [key for key in chosen if key not in state.catalogue]
    if unknown:
        problems.append(ArrangeProblem(ArrangeError.UNKNOWN_CARD, unknown[0]))
    if based_on != state.version:
        return ArrangeResult(Outcome.STALE, state, chosen, change=board_change(state))
    if problems:
        return ArrangeResult(Outcome.REFUSED, state, chosen, tuple(problems))
    new_board, wrong_rows = arrange(chosen, state.catalogue)
    if wrong_rows:
        found = tuple(ArrangeProblem(ArrangeError.ROW, row=problem) for problem in wrong_rows)
        return ArrangeResult(Outcome.REFUSED, state, chosen, found)
    history = state.history
    if new_board != state.board:
        step = Step(dict(state.board), None, None, None, store.user_id, _now())
        history = remember(history, step)
    saved = store.save(state, new_board, history)
    if saved is None:
        now = store.load()
        return ArrangeResult(Outcome.STALE, now, chosen, change=board_change(now))
    return ArrangeResult(Outcome.MOVED, saved, chosen)


# Reading the school's board -------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What an open board's poll is told: the board's version, and who changed it (None while
    the board is still the one the page shows, or the notice already told of this version)."""

    version: int
    state: BoardState | None = None
    change: BoardChange | None = None


def version_notice(store: SchoolBoard, seen: int | None, notified: int | None) -> Notice:
    """The board's version in one small query; the whole board only when it changed since
    `seen` and the page has not been told of that version yet (`notified`)."""
    version, _by = board_version(store.school_id, store.academic_year)
    if seen is None or seen == version or notified == version:
        return Notice(version)
    state = store.read()
    return Notice(version, state, board_change(state))


# The school's own cards -----------------------------------------------------------------------


@dataclass(frozen=True)
class CardConflict:
    """Refused: someone else changed the card since the form was opened (as a step's
    Conflict): the card as they saved it, and their name."""

    current: OwnCard | None
    """None: they deleted it."""
    author: str | None

    @property
    def revision(self) -> int:
        """The revision a save over theirs should be based on."""
        return self.current.revision if self.current else 0


@dataclass(frozen=True)
class CardSaved:
    """An own card added or changed, or refused because the plan has `cap` cards already, or
    because someone else changed it since the form was opened (`conflict`)."""

    card: OwnCard | None
    cap: int | None = None
    conflict: CardConflict | None = None


def own_card(store: SchoolBoard, card_id: int) -> tuple[BoardState, OwnCard | None]:
    """The board, ready to change, and one of the school's own cards on it (None: no such card
    of this school's)."""
    state = store.load()
    return state, find_own_card(state.plan, card_id)


def save_card(
    store: SchoolBoard,
    state: BoardState,
    card: OwnCard | None,
    title_en: str | None,
    title_cy: str | None,
    *,
    description_en: str | None = None,
    description_cy: str | None = None,
    based_on_revision: int = 0,
) -> CardSaved:
    """Add one of the school's own cards (card None) or change its titles and descriptions,
    if the card is still at `based_on_revision` (the revision the form was opened on)."""
    assert store.user is not None
    require_offered(store.school_id, store.academic_year, state.plan)
    plan = state.plan or get_or_create_plan(store.school_id, store.academic_year)
    try:
        return CardSaved(
            save_own_card(
                plan,
                card,
                title_en,
                title_cy,
                store.user,
                description_en=description_en,
                description_cy=description_cy,
                based_on_revision=based_on_revision,
            )
        )
    except CapReached as reached:
        return CardSaved(None, reached.cap)
    except CardChanged as changed:
        return CardSaved(None, conflict=CardConflict(changed.current, changed.author))


class Deletion(enum.Enum):
    CONFIRM = "confirm"
    """Nothing deleted yet: the card is on the board, so the person confirms first."""
    DELETED = "deleted"
    STALE = "stale"
    """The board changed since the page the request came from (or the version sent is not the
    board's): nothing is deleted, and the person is asked again with the board as it is now."""


@dataclass(frozen=True)
class DeleteResult:
    outcome: Deletion
    state: BoardState
    card: OwnCard
    title: CardInfo
    row: int | None
    """The row the card is in on the board (None: in the bank)."""


def confirm_deletion(state: BoardState, card: OwnCard) -> DeleteResult:
    """The question before deleting a card: nothing is deleted."""
    slot = slot_of(state.board, card.key)
    return DeleteResult(
        Deletion.CONFIRM, state, card, state.catalogue[card.key], ROW_OF.get(slot or 0)
    )


def delete_card(
    store: SchoolBoard,
    state: BoardState,
    card: OwnCard,
    *,
    based_on: int | None,
    confirmed: bool,
) -> DeleteResult:
    """Delete one of the school's own cards. The version the page showed (`based_on`) must be
    the board's, wherever the card is: a wrong or stale version changes nothing. A card on the
    board is deleted only once confirmed (it comes off the board in the same transaction)."""
    assert store.user is not None
    title = state.catalogue[card.key]

    def result(outcome: Deletion, now: BoardState) -> DeleteResult:
        slot = slot_of(now.board, card.key)
        return DeleteResult(outcome, now, card, title, ROW_OF.get(slot or 0))

    if based_on != state.version:
        return result(Deletion.STALE, state)
    if slot_of(state.board, card.key) is not None and not confirmed:
        return result(Deletion.CONFIRM, state)
    if not delete_own_card(state, card, store.user, based_on):
        return result(Deletion.STALE, store.load())
    return result(Deletion.DELETED, state)


# The staff's consensus board ------------------------------------------------------------------


def apply_consensus(
    store: SchoolBoard,
    state: BoardState,
    consensus: dict[int, str],
    based_on: int | None,
    round_id: int,
) -> bool:
    """Replace the school's board with the staff's consensus board, as one change that can be
    undone. False (nothing changed) when the board changed since `based_on`."""
    assert store.user is not None
    if based_on is None or based_on != state.version:
        return False
    return responses.apply_board(
        state,
        store.school_id,
        store.academic_year,
        consensus,
        based_on,
        store.user,
        round_id,
    )


def undo_consensus(store: SchoolBoard, state: BoardState, plan: Plan) -> bool:
    """Put the school's board back as it was before the consensus board was applied, if no card
    has moved since. False otherwise."""
    assert store.user is not None
    change = responses.last_applied(plan)
    if change is None:
        return False
    return responses.undo_applied(state, store.school_id, store.academic_year, change, store.user)
