"""The change list between two versions' snapshots."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from wizard.domain import changes as change_list
from wizard.domain.changes import CardMove, Changes, LineChange
from wizard.domain.diamond import SLOTS
from wizard.domain.plan_document import PlanDocument

CARDS = [f"card:{n}" for n in "abcdefghijkl"]


def compare(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """The changes between two snapshots, each read as a plan document."""
    return change_list.compare(PlanDocument.from_stored(before), PlanDocument.from_stored(after))


def snapshot(answers: dict[str, Any]) -> dict[str, Any]:
    return {"answers": answers}


def board(*cards: str) -> dict[str, Any]:
    return {"slots": {str(slot): card for slot, card in zip(SLOTS, cards, strict=False)}}


def line(line_id: str, description: str, pence: int, **extra: Any) -> dict[str, Any]:
    return {"id": line_id, "description": description, "amount_pence": pence, **extra}


def test_nothing_changed() -> None:
    same = snapshot({"about-your-school": {"phase": "primary"}, "diamond-9": board(*CARDS[:9])})
    assert not compare(same, same)


def test_answers_changed_by_task_in_task_list_order() -> None:
    before = snapshot(
        {"hallmark-3": {"rating": "developing"}, "about-your-school": {"phase": "primary"}}
    )
    after = snapshot(
        {"hallmark-3": {"rating": "secure"}, "about-your-school": {"phase": "secondary"}}
    )
    assert compare(before, after).tasks == ["about-your-school", "hallmarks"]


def test_the_completion_answer_alone_is_not_a_change() -> None:
    before = snapshot({"hallmarks:completed": {"completed": True}})
    after = snapshot({})
    assert not compare(before, after)


def test_cards_moved_added_and_removed() -> None:
    before = snapshot({"diamond-9": board("card:a", "card:b", "card:c")})
    # slot 1 is row 1; slots 2 and 3 are row 2; slot 4 is row 3
    after = snapshot({"diamond-9": board("card:b", "card:a", "card:d")})
    changes = compare(before, after)
    assert changes.cards == [
        CardMove("card:b", 2, 1),
        CardMove("card:a", 1, 2),
        CardMove("card:d", None, 2),
        CardMove("card:c", 2, None),
    ]
    assert [move.kind for move in changes.cards] == ["moved", "moved", "added", "removed"]
    assert changes.tasks == []  # the board is reported as card moves, not as answers


def test_a_card_moved_within_its_row_is_not_a_change() -> None:
    before = snapshot({"diamond-9": board("card:a", "card:b", "card:c")})
    after = snapshot({"diamond-9": board("card:a", "card:c", "card:b")})
    assert not compare(before, after)


def test_funding_lines_added_changed_and_removed() -> None:
    before = snapshot(
        {"funding-plan": {"lines": [line("1", "Cover", 60000), line("2", "Books", 1000)]}}
    )
    after = snapshot(
        {
            "funding-plan": {
                "lines": [line("1", "Cover for triads", 70000), line("3", "Visits", 5000)]
            }
        }
    )
    assert compare(before, after).lines == [
        LineChange("changed", "Cover for triads", 60000, 70000),
        LineChange("added", "Visits", None, 5000),
        LineChange("removed", "Books", 1000, None),
    ]


def test_a_line_with_only_its_term_changed_is_changed() -> None:
    before = snapshot({"funding-plan": {"lines": [line("1", "Cover", 100, term="autumn")]}})
    after = snapshot({"funding-plan": {"lines": [line("1", "Cover", 100, term="summer")]}})
    assert [c.kind for c in compare(before, after).lines] == ["changed"]


def test_snapshots_with_nothing_in_them_compare() -> None:
    assert not compare({}, {"answers": None})


boards = st.lists(st.sampled_from(CARDS), unique=True, max_size=9)


@given(boards, boards)
def test_every_card_change_is_real_and_none_is_missed(first: list[str], second: list[str]) -> None:
    changes = compare(
        snapshot({"diamond-9": board(*first)}), snapshot({"diamond-9": board(*second)})
    )
    moved = {move.card for move in changes.cards}
    assert moved <= set(first) | set(second)
    assert all(move.before != move.after for move in changes.cards)
    assert set(first) ^ set(second) <= moved
    assert not compare(
        snapshot({"diamond-9": board(*first)}), snapshot({"diamond-9": board(*first)})
    )
