"""The Diamond 9 board: every way a card moves, and a property test over any sequence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.domain.diamond import (
    CAPACITY,
    ROW_OF,
    ROWS,
    SLOTS,
    UNDO_DEPTH,
    ChooseCard,
    InvalidMove,
    MoveError,
    RowProblem,
    Step,
    arrange,
    first_free_slot,
    is_complete,
    move,
    normalise,
    ranked,
    read_history,
    read_move,
    remember,
    slot_of,
    swap_choices,
    to_stored,
    undo,
)

CARDS = {f"card:{n}" for n in range(12)}


def test_rows_are_one_two_three_two_one() -> None:
    assert [CAPACITY[row] for row in range(1, 6)] == [1, 2, 3, 2, 1]
    assert ROW_OF == {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 5}


def test_a_card_from_the_bank_goes_to_the_first_free_slot_from_the_top() -> None:
    board, done = move({}, "card:1", "next", CARDS)
    assert board == {1: "card:1"} and done.row == 1
    board, done = move(board, "card:2", "next", CARDS)
    assert board == {1: "card:1", 2: "card:2"} and done.row == 2


def test_moving_to_an_occupied_slot_swaps_the_two_cards() -> None:
    board, done = move({1: "card:1", 4: "card:2"}, "card:2", "1", CARDS)
    assert board == {1: "card:2", 4: "card:1"}
    assert done.swapped == "card:1"


def test_a_card_from_the_bank_on_an_occupied_slot_sends_that_card_to_the_bank() -> None:
    board, done = move({1: "card:1"}, "card:2", "1", CARDS)
    assert board == {1: "card:2"}
    assert done.swapped == "card:1"


def test_up_and_down_move_one_row_into_a_free_slot_or_swap_with_its_only_card() -> None:
    board, _ = move({4: "card:1"}, "card:1", "up", CARDS)
    assert board == {2: "card:1"}
    board, done = move({1: "card:9", 2: "card:1"}, "card:1", "up", CARDS)
    assert board == {1: "card:1", 2: "card:9"} and done.swapped == "card:9"
    board, _ = move({9: "card:1"}, "card:1", "up", CARDS)
    assert board == {7: "card:1"}
    with pytest.raises(InvalidMove) as top:
        move({1: "card:1"}, "card:1", "up", CARDS)
    assert top.value.reason is MoveError.NO_ROW_THERE
    with pytest.raises(InvalidMove) as bottom:
        move({9: "card:1"}, "card:1", "down", CARDS)
    assert bottom.value.reason is MoveError.NO_ROW_THERE


def test_move_to_a_row_takes_a_free_place_or_swaps_with_its_only_card() -> None:
    board, done = move({1: "card:1", 4: "card:2"}, "card:2", "row-2", CARDS)
    assert board == {1: "card:1", 2: "card:2"} and done.row == 2
    board, done = move({1: "card:1", 4: "card:2"}, "card:2", "row-1", CARDS)
    assert board == {1: "card:2", 4: "card:1"} and done.swapped == "card:1"
    with pytest.raises(InvalidMove):
        move({}, "card:1", "row-6", CARDS)


@pytest.mark.parametrize("target", ["row-2", "up"])
def test_a_full_row_of_two_or_three_asks_which_card_to_swap_with(target: str) -> None:
    board = {2: "card:2", 3: "card:3", 4: "card:4"}
    with pytest.raises(ChooseCard) as question:
        move(board, "card:4", target, CARDS)
    assert question.value.row == 2
    assert question.value.candidates == ["card:2", "card:3"]
    # The person chose: the two cards swap places, nothing else moves.
    chosen, done = move(board, "card:4", "with:card:3", CARDS)
    assert chosen == {2: "card:2", 3: "card:4", 4: "card:3"}
    assert done.swapped == "card:3" and done.row == 2


def test_a_card_from_the_bank_on_a_full_board_asks_which_card_it_replaces() -> None:
    full = {slot: f"card:{slot}" for slot in SLOTS}
    with pytest.raises(ChooseCard) as question:
        move(full, "card:10", "next", CARDS | {"card:10"})
    assert question.value.row is None
    assert question.value.candidates == [f"card:{slot}" for slot in SLOTS]
    board, done = move(full, "card:10", "with:card:5", CARDS | {"card:10"})
    assert board[5] == "card:10" and "card:5" not in board.values()
    assert done.swapped == "card:5"


def test_swap_with_is_any_other_card_on_the_board() -> None:
    board = {1: "card:1", 5: "card:5", 9: "card:9"}
    assert swap_choices(board, "card:5") == ["card:1", "card:9"]
    with pytest.raises(InvalidMove) as problem:
        move(board, "card:1", "with:card:7", CARDS)  # not on the board
    assert problem.value.reason is MoveError.UNKNOWN_TARGET


def test_undo_puts_back_the_last_move_then_the_one_before() -> None:
    history: list[Step] = []
    board: dict[int, str] = {}
    boards = [board]
    for card in ("card:1", "card:2", "card:3"):
        new, done = move(board, card, "next", CARDS)
        history = remember(history, Step(board, done.card, done.slot, done.swapped, 1, "t"))
        board = new
        boards.append(board)
    assert len(history) == UNDO_DEPTH  # only the last two moves are kept
    board, history = undo(history)
    assert board == boards[2]
    board, history = undo(history)
    assert board == boards[1]
    with pytest.raises(InvalidMove) as nothing:
        undo(history)
    assert nothing.value.reason is MoveError.NOTHING_TO_UNDO


def test_a_stored_history_is_read_safely() -> None:
    step = Step({1: "card:1"}, "card:2", 2, None, 7, "2026-01-01T10:00:00+00:00")
    assert read_history([step.to_stored()]) == [step]
    assert read_history("nonsense") == []
    assert read_history([{"before": "x", "slot": 12, "by": True}, 5]) == [
        Step({}, None, None, None, None, "")
    ]
    assert len(read_history([step.to_stored()] * 5)) == UNDO_DEPTH


def test_return_to_the_bank() -> None:
    board, done = move({1: "card:1", 2: "card:2"}, "card:1", "bank", CARDS)
    assert board == {2: "card:2"} and done.slot is None


@pytest.mark.parametrize(
    ("board", "card", "target", "reason"),
    [
        ({}, "card:99", "1", MoveError.UNKNOWN_CARD),
        ({}, "card:1", "10", MoveError.UNKNOWN_TARGET),
        ({}, "card:1", "0", MoveError.UNKNOWN_TARGET),
        ({}, "card:1", "sideways", MoveError.UNKNOWN_TARGET),
        ({}, "card:1", "up", MoveError.NOT_ON_BOARD),
    ],
)
def test_impossible_moves_are_refused(
    board: dict[int, str], card: str, target: str, reason: MoveError
) -> None:
    with pytest.raises(InvalidMove) as problem:
        move(board, card, target, CARDS | {f"card:{n}" for n in range(10)})
    assert problem.value.reason is reason


def test_arranging_by_rows() -> None:
    board, problems = arrange({"card:1": 1, "card:2": 2, "card:3": 2, "card:4": None}, CARDS)
    assert problems == []
    assert board == {1: "card:1", 2: "card:2", 3: "card:3"}


def test_an_arrangement_with_too_many_in_a_row_says_which() -> None:
    board, problems = arrange({"card:1": 1, "card:2": 1, "card:3": 3}, CARDS)
    assert board == {}
    assert problems == [RowProblem(row=1, count=2, capacity=1)]


def test_a_full_arrangement_also_names_the_rows_with_too_few() -> None:
    rows = dict(zip([f"card:{n}" for n in range(9)], [1, 2, 2, 2, 3, 3, 3, 4, 5], strict=True))
    _, problems = arrange(rows, CARDS)
    assert problems == [RowProblem(2, 3, 2), RowProblem(4, 1, 2)]


def test_stored_boards_are_read_safely() -> None:
    assert normalise({"1": "a", "2": "a", "12": "b", "x": "c", "3": ""}) == {1: "a"}
    assert normalise(None) == {}
    assert to_stored({3: "b", 1: "a"}) == {"1": "a", "3": "b"}


moves = st.lists(
    st.tuples(
        st.sampled_from(sorted(CARDS) + ["card:unknown"]),
        st.sampled_from(
            [str(n) for n in range(0, 11)]
            + [f"row-{n}" for n in range(0, 7)]
            + ["next", "up", "down", "bank", "??", "undo"]
            + [f"with:card:{n}" for n in range(0, 13)]
        ),
    ),
    max_size=40,
)


def assert_valid(board: dict[int, str]) -> None:
    assert set(board) <= set(SLOTS)
    assert len(set(board.values())) == len(board)  # no card twice
    assert set(board.values()) <= CARDS
    assert sum(len(row) for row in ranked(board)) == len(board)
    assert all(len([s for s in row if s in board]) <= len(row) for row in ROWS)  # 1-2-3-2-1
    assert is_complete(board) == (first_free_slot(board) is None)
    assert normalise(to_stored(board)) == board


@given(moves)
def test_any_sequence_of_moves_and_undos_keeps_a_valid_board_with_no_card_twice(
    sequence: list[tuple[str, str]],
) -> None:
    board: dict[int, str] = {}
    history: list[Step] = []
    seen: list[dict[int, str]] = [{}]  # every board so far: an undo goes back to one of them
    for card, target in sequence:
        before = dict(board)
        if target == "undo":
            try:
                board, history = undo(read_history([s.to_stored() for s in history]))
            except InvalidMove:
                assert not history
                continue
            assert board in seen
            assert_valid(board)
            continue
        try:
            board, done = move(board, card, target, CARDS)
        except (InvalidMove, ChooseCard):
            assert board == before  # a refused move, or a question, changes nothing
            continue
        if board != before:
            history = remember(history, Step(before, done.card, done.slot, done.swapped, 1, "t"))
            assert undo(history)[0] == before
        seen.append(dict(board))
        assert slot_of(board, card) == done.slot
        if done.swapped and done.swapped != card:
            swapped_to = slot_of(board, done.swapped)
            assert swapped_to == slot_of(before, card)  # None: back to the bank
        assert_valid(board)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"m": "card:1 up"}, ("card:1", "up")),
        ({"m": " card:1  with:card:2 "}, ("card:1", "with:card:2")),
        ({"m": "- undo"}, ("-", "undo")),
        ({"m": "card:1"}, ("card:1", "")),
        # A drag (or an older form): card and to, with slot for "slot"; "m" wins over them.
        ({"card": " card:1 ", "to": "4"}, ("card:1", "4")),
        ({"card": "card:1", "to": "slot", "slot": " 9 "}, ("card:1", "9")),
        ({"m": "card:2 bank", "card": "card:1", "to": "up"}, ("card:2", "bank")),
        ({}, ("", "")),
    ],
)
def test_a_posted_move_is_read_from_a_button_or_a_drag(
    form: dict[str, str], expected: tuple[str, str]
) -> None:
    assert read_move(form) == expected
