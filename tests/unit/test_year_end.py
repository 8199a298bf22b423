"""The year-end review's rules, with figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from wizard.domain import framework
from wizard.domain.plan_document import FundingLine
from wizard.domain.year_end import (
    CARRY_OVER,
    FUNDING,
    HALLMARKS,
    AddedLine,
    FundingReview,
    Impact,
    LineActual,
    ReviewedPlan,
    SpendTotals,
    YearEndDocument,
    impact_section,
    is_large_difference,
    is_open,
    proposed_carry,
    section_status,
    summer_term_starts,
)

NINE = tuple(f"card:c{n}" for n in range(1, 10))


def _plan(allocation: int | None = 1_000_000) -> ReviewedPlan:
    # Planned: £4,000 + £2,500 + £1,500 = £8,000 of a £10,000 allocation.
    return ReviewedPlan(
        version=2,
        allocation=allocation,
        lines=(
            FundingLine("a", "release-and-cover", priority="card:c1", amount_pence=400_000),
            FundingLine("b", "learning-coach", priority="card:c2", amount_pence=250_000),
            FundingLine("c", "release-and-cover", priority="card:c1", amount_pence=150_000),
        ),
        priorities=NINE,
        ratings={1: "developing", 2: "established"},
    )


def _review(**sections: object) -> YearEndDocument:
    return YearEndDocument.from_sections(_plan(), sections)


def test_the_review_opens_on_the_first_day_of_the_summer_term() -> None:
    assert summer_term_starts(2025) == date(2026, 4, 1)
    assert not is_open(2025, date(2026, 3, 31))
    assert is_open(2025, date(2026, 4, 1))
    assert is_open(2025, date(2026, 10, 1))  # next year, looking back
    assert not is_open(2026, date(2026, 12, 7))


def test_totals_planned_actual_and_allocation() -> None:
    review = _review(
        funding={
            "actuals": {
                "a": {"actual_pence": 380_000, "happened": "yes"},
                "b": {"actual_pence": 0, "happened": "no"},
                "c": {"actual_pence": 175_000, "happened": "yes"},
            },
            "added": [
                {"id": "x", "purpose": "other", "description": "Books", "actual_pence": 60_000}
            ],
        }
    )
    totals = review.totals
    # Actual: £3,800 + £0 + £1,750 + £600 added = £6,150.
    assert (totals.allocation, totals.planned, totals.actual) == (1_000_000, 800_000, 615_000)
    assert totals.difference == -185_000  # £1,850 less than planned
    assert totals.unspent == 385_000  # £10,000 - £6,150
    # £1,850 is 23% of £8,000: large, so it must be explained.
    assert totals.large
    assert not review.funding_complete
    explained = _review(funding={**review.funding.to_stored(), "explanation": "Coach left"})
    assert explained.funding_complete
    assert review.spend_by_purpose() == {
        "release-and-cover": (550_000, 555_000),
        "learning-coach": (250_000, 0),
        "other": (0, 60_000),
    }


def test_a_large_difference_is_more_than_a_tenth_of_the_plan() -> None:
    # Planned £8,000: a tenth is £800.
    assert not is_large_difference(800_000, 880_000)  # exactly £800 more
    assert is_large_difference(800_000, 880_001)
    assert not is_large_difference(800_000, 720_000)  # exactly £800 less
    assert is_large_difference(800_000, 719_999)
    assert not is_large_difference(0, 0)
    assert is_large_difference(0, 1)
    # Within a tenth, but over the allocation: still to be explained.
    over = SpendTotals(allocation=800_000, planned=780_000, actual=820_000)
    assert not is_large_difference(780_000, 820_000)
    assert over.over_allocation and over.large
    assert SpendTotals(None, 100, 100).unspent is None


def test_funding_needs_every_planned_line_answered() -> None:
    partial = _review(funding={"actuals": {"a": {"actual_pence": 400_000, "happened": "yes"}}})
    assert not partial.funding_complete
    assert partial.actual("b") == LineActual("b")
    assert section_status(partial, FUNDING) == "in-progress"
    assert section_status(_review(), FUNDING) == "not-started"


def test_impact_levels_highest_and_answered() -> None:
    impact = Impact.from_stored(
        "card:c1", {"levels": ["practice", "reactions", "nonsense"], "criteria": "partly"}
    )
    assert impact.levels == ("reactions", "practice")  # in Guskey's order, unknowns dropped
    assert impact.highest_level == 4
    assert impact.answered
    assert Impact("card:c2").highest_level == 0
    assert not Impact.from_stored("card:c2", {"criteria": "maybe"}).answered


def test_carry_over_proposes_what_was_not_met_until_the_school_chooses() -> None:
    sections = {
        impact_section("card:c1"): {"criteria": "met"},
        impact_section("card:c2"): {"criteria": "not-met"},
        impact_section("card:c3"): {"criteria": "partly"},
    }
    review = _review(**sections)
    assert review.carried == ("card:c2", "card:c3")
    assert proposed_carry([Impact("card:c9", criteria="not-met")]) == ("card:c9",)
    chosen = _review(**sections, **{CARRY_OVER: {"carry": ["card:c3", "card:zz"], "notes": ""}})
    assert chosen.carried == ("card:c3",)  # only the plan's priorities
    assert _review(**{CARRY_OVER: {"carry": [], "notes": "None"}}).carried == ()


def test_ready_when_every_section_is_complete() -> None:
    sections: dict[str, object] = {
        FUNDING: {
            "actuals": {
                "a": {"actual_pence": 400_000, "happened": "yes"},
                "b": {"actual_pence": 250_000, "happened": "yes"},
                "c": {"actual_pence": 150_000, "happened": "yes"},
            }
        },
        **{impact_section(card): {"criteria": "met"} for card in NINE[:8]},
        HALLMARKS: {"ratings": {str(h.id): "embedded" for h in framework.HALLMARKS}},
    }
    review = _review(**sections)
    assert review.incomplete() == ("impact", CARRY_OVER)
    assert section_status(review, "impact") == "in-progress"
    sections[impact_section(NINE[8])] = {"criteria": "not-met"}
    sections[CARRY_OVER] = {"carry": [NINE[8]], "notes": ""}
    done = _review(**sections)
    assert done.ready
    assert section_status(done, HALLMARKS) == "completed"


def test_a_frozen_review_reads_back_as_it_was_written() -> None:
    review = YearEndDocument.from_sections(
        _plan(),
        {
            FUNDING: FundingReview(
                {"a": LineActual("a", 1, "yes")},
                (AddedLine("x", "other", "", "Books", 5, "cy"),),
                "Why",
            ).to_stored(),
            impact_section("card:c1"): {
                "levels": ["learners"],
                "evidence": "Data",
                "criteria": "met",
            },
            HALLMARKS: {"ratings": {"1": "embedded", "9": "embedded", "2": "bogus"}},
        },
    )
    stored = review.to_stored()
    again = YearEndDocument.from_stored(stored)
    assert again.to_stored() == stored
    assert again.ratings == {1: "embedded"}  # no hallmark 9, no bogus rating
    assert again.plan.ratings == {1: "developing", 2: "established"}
    assert again.funding.added[0].lang == "cy"


def test_next_year_takes_the_ratings_and_the_priorities_not_met() -> None:
    from wizard.domain.cards import Reason, suggestions
    from wizard.domain.plan_document import PlanDocument
    from wizard.domain.year_end import CARRIED_STEP, next_year_answers

    plan = replace(_plan(), priorities=("card:c1", "own:7", "own:8", "hallmark:2"))
    review = YearEndDocument.from_sections(
        plan,
        {
            impact_section("card:c1"): {"criteria": "not-met"},
            impact_section("own:7"): {"criteria": "partly"},
            impact_section("own:8"): {"criteria": "not-met"},
            impact_section("hallmark:2"): {"criteria": "met"},
            HALLMARKS: {"ratings": {"1": "established", "2": "embedded"}},
        },
    )
    copied = {"hallmark-1": {"rating": "developing", "evidence": "Visits", "next_steps": "More"}}
    # Own card 7 was copied into the new plan as own card 21; own card 8 was not.
    found = next_year_answers(review, copied, {"own:7": "own:21"})
    assert found == {
        "hallmark-1": {"rating": "established", "evidence": "Visits", "next_steps": "More"},
        "hallmark-2": {"rating": "embedded"},
        CARRIED_STEP: {"cards": {"card:c1": "not-met", "own:21": "partly"}},
    }
    # An empty plan: no own cards to offer.
    assert next_year_answers(review, {})[CARRIED_STEP] == {"cards": {"card:c1": "not-met"}}
    # On next year's board the carried cards come first, saying why.
    reasons = suggestions(PlanDocument.from_answers({**copied, **found}))
    assert list(reasons)[:2] == ["card:c1", "own:21"]
    assert reasons["card:c1"] == Reason(review="not-met")
