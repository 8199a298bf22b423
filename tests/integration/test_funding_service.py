"""The funding plan's rules, called as the service without HTTP: the allocation, the 50-line
cap, and saves that lose to someone else's."""

from __future__ import annotations

from wizard.data.database import db
from wizard.data.models import User
from wizard.domain.funding import MAX_LINES
from wizard.services import funding, steps
from wizard.services.funding import Editing, LineInput, LineOutcome, LineRefused, RemoveOutcome

YEAR = 2025
ABOUT = {
    "phase": "primary",
    "teaching_staff": 12,
    "support_staff": 8,
    "pl_lead": "Catrin Jones",
    "funding_allocation_pence": 100_000,
}


def _line(amount: int, purpose: str = "release-and-cover", other: str = "") -> LineInput:
    return LineInput(
        purpose=purpose,
        purpose_other=other,
        priority="",
        beneficiaries=["teachers"],
        term="autumn",
        description="Cover so that triads can plan together",
        amount_pence=amount,
    )


def _funding(lead: User) -> funding.FundingState:
    """The funding plan as a new request reads it."""
    assert lead.school_id is not None
    db.session.expire_all()
    state = funding.open_for_editing(lead.school_id, YEAR, lead, "en")
    assert state is not None
    return state


def _about(lead: User, allocation: int = 100_000) -> None:
    assert lead.school_id is not None
    state = steps.load_plan(lead.school_id, YEAR)
    data = {**ABOUT, "funding_allocation_pence": allocation}
    assert isinstance(steps.save_answers(state, "about-your-school", data, 0, lead), steps.Saved)


def test_the_funding_plan_cannot_start_before_the_allocation_is_given(lead: User) -> None:
    assert lead.school_id is not None
    assert funding.open_for_editing(lead.school_id, YEAR, lead, "en") is None


def test_a_line_within_the_allocation_is_saved_and_other_is_described_only_with_other(
    lead: User,
) -> None:
    _about(lead)
    result = funding.save_line(_funding(lead), None, _line(60_000, other="Stray words"), 0)
    assert result.outcome is LineOutcome.SAVED
    state = _funding(lead)
    [saved] = state.lines
    assert saved["amount_pence"] == 60_000
    assert saved["purpose_other"] == ""
    assert state.revision == 1
    assert state.totals.remaining == 40_000


def test_a_line_that_takes_the_plan_over_its_allocation_is_refused_with_the_totals(
    lead: User,
) -> None:
    _about(lead)
    funding.save_line(_funding(lead), None, _line(60_000), 0)
    result = funding.save_line(_funding(lead), None, _line(50_000), 1)
    assert result.outcome is LineOutcome.OVER_ALLOCATION
    assert result.totals.over == 10_000
    assert len(_funding(lead).lines) == 1


def test_changing_a_line_counts_its_new_amount_not_both(lead: User) -> None:
    _about(lead)
    funding.save_line(_funding(lead), None, _line(60_000), 0)
    [line] = _funding(lead).lines
    result = funding.save_line(_funding(lead), line["id"], _line(90_000), 1)
    assert result.outcome is LineOutcome.SAVED
    assert [line["amount_pence"] for line in _funding(lead).lines] == [90_000]


def test_a_save_based_on_an_old_revision_is_refused_with_the_current_one(lead: User) -> None:
    _about(lead)
    stale = _funding(lead)
    funding.save_line(_funding(lead), None, _line(10_000), 0)
    result = funding.save_line(stale, None, _line(20_000), 0)
    assert result.outcome is LineOutcome.CONFLICT
    assert result.revision == 1
    assert [line["amount_pence"] for line in _funding(lead).lines] == [10_000]


def test_a_fifty_first_line_cannot_be_opened_but_existing_ones_can(lead: User) -> None:
    _about(lead, allocation=MAX_LINES * 100)
    for revision in range(MAX_LINES):
        funding.save_line(_funding(lead), None, _line(100), revision)
    state = _funding(lead)
    assert funding.edit_line(state, None) is LineRefused.FULL
    first = state.lines[0]["id"]
    assert funding.edit_line(state, first) == Editing(first, state.lines[0])
    assert funding.edit_line(state, "no-such-line") is LineRefused.NOT_FOUND


def test_removing_a_line_needs_the_revision_the_user_saw(lead: User) -> None:
    _about(lead)
    funding.save_line(_funding(lead), None, _line(10_000), 0)
    funding.save_line(_funding(lead), None, _line(20_000), 1)
    state = _funding(lead)
    first = state.lines[0]["id"]
    assert funding.remove_line(state, first, 1) is RemoveOutcome.CONFLICT
    assert funding.remove_line(state, first, 2) is RemoveOutcome.REMOVED
    assert [line["amount_pence"] for line in _funding(lead).lines] == [20_000]
