"""Funding totals in pence, and the year-on-year comparison, without Flask."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wizard.domain.compare import board_moves, funding_by_purpose, rating_changes
from wizard.domain.funding import by, replace_line, totals, totals_with
from wizard.domain.plan_document import PlanDocument


def line(
    line_id: str, pence: int, purpose: str = "release-and-cover", priority: str = ""
) -> dict[str, object]:
    return {"id": line_id, "amount_pence": pence, "purpose": purpose, "priority": priority}


def test_totals_and_what_remains() -> None:
    lines = [line("a", 60_000), line("b", 40_050)]
    result = totals(lines, 100_000)
    assert (result.planned, result.remaining, result.over) == (100_050, -50, 50)
    assert totals([], None).remaining is None


def test_totals_with_a_changed_or_new_line() -> None:
    lines = [line("a", 60_000), line("b", 40_000)]
    assert totals_with(lines, "a", 10_000, 100_000).planned == 50_000
    assert totals_with(lines, None, 1, 100_000).over == 1


def test_replace_line_changes_or_adds() -> None:
    lines = [line("a", 1)]
    assert replace_line(lines, line("a", 2)) == [line("a", 2)]
    assert replace_line(lines, line("b", 3)) == [line("a", 1), line("b", 3)]


@given(st.lists(st.integers(min_value=1, max_value=10_000_000_00), max_size=50))
def test_totals_by_purpose_add_up_to_the_total(amounts: list[int]) -> None:
    purposes = ["release-and-cover", "critical-enquiry", "other"]
    lines = [line(str(i), pence, purposes[i % 3]) for i, pence in enumerate(amounts)]
    assert sum(by(lines, "purpose").values()) == totals(lines, None).planned == sum(amounts)


def test_board_moves_between_years() -> None:
    before = {"diamond-9": {"slots": {"1": "card:a", "4": "card:b", "9": "own:1"}}}
    after = {"diamond-9": {"slots": {"1": "card:b", "4": "card:c", "9": "own:7"}}}
    moves = board_moves(
        PlanDocument.from_answers(before),
        PlanDocument.from_answers(after),
        lambda k: {"own:1": "own|Parents|"}.get(k, k),
        lambda k: {"own:7": "own|Parents|"}.get(k, k),
    )
    summary = {(m.card, m.before, m.after, m.change) for m in moves}
    assert ("card:b", 3, 1, 2) in summary  # up two rows
    assert ("card:c", None, 3, 0) in summary  # new
    assert ("card:a", 1, None, 0) in summary  # gone
    assert ("own:7", 5, 5, 0) in summary  # the copied own card is the same card


def test_rating_and_funding_changes() -> None:
    before = {"hallmark-1": {"rating": "developing"}, "funding-plan": {"lines": [line("a", 500)]}}
    after = {
        "hallmark-1": {"rating": "established"},
        "funding-plan": {"lines": [line("b", 700, "other")]},
    }
    old_plan, new_plan = PlanDocument.from_answers(before), PlanDocument.from_answers(after)
    first = rating_changes(old_plan, new_plan)[0]
    assert (first.hallmark.id, first.before, first.after) == (1, "developing", "established")
    assert first.changed
    by_purpose = {
        purpose.key: (old, new) for purpose, old, new in funding_by_purpose(old_plan, new_plan)
    }
    assert by_purpose["release-and-cover"] == (500, 0)
    assert by_purpose["other"] == (0, 700)
