"""When a plan may be submitted, as plain rules."""

from __future__ import annotations

from wizard.domain.submission import Readiness, may_submit, readiness


def test_an_empty_plan_is_not_ready_and_names_every_task() -> None:
    ready = readiness({})
    assert not ready.ready
    assert [task.key for task in ready.incomplete] == [
        "about-your-school",
        "contexts",
        "hallmarks",
        "diamond-9",
        "funding-plan",
    ]
    assert ready.over == 0


def test_more_planned_than_the_allocation_stops_it() -> None:
    answers = {
        "about-your-school": {"funding_allocation_pence": 1_000},
        "funding-plan": {"lines": [{"id": "a", "amount_pence": 1_500}]},
    }
    assert readiness(answers).over == 500


def test_nothing_in_the_way_is_ready() -> None:
    assert Readiness().ready
    assert not Readiness(over=1).ready


def test_only_a_school_lead_submits() -> None:
    assert may_submit(True)
    assert not may_submit(False)
