"""Submitted plans for the reporting tests, seeded straight into the database for speed: each
is a submitted Plan with its PlanVersion and the facts that submit() writes (write_facts)."""

from __future__ import annotations

from typing import Any

from wizard.data.database import db
from wizard.data.facts import write_facts
from wizard.data.models import Plan, PlanAnswer, PlanVersion, School
from wizard.domain.values import PlanStatus


def snapshot(
    ratings: dict[int, str],
    board: dict[int, str],
    lines: list[tuple[str, int]],
    own_cards: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    answers: dict[str, Any] = {
        f"hallmark-{number}": {"rating": rating} for number, rating in ratings.items()
    }
    answers["diamond-9"] = {"slots": {str(slot): card for slot, card in board.items()}}
    answers["funding-plan"] = {
        "lines": [
            {"id": f"l{index}", "purpose": purpose, "priority": "", "amount_pence": pence}
            for index, (purpose, pence) in enumerate(lines)
        ]
    }
    return {"answers": answers, "own_cards": own_cards or []}


def submitted(
    school: School, year: int, snap: dict[str, Any], number: int = 1, *, commit: bool = True
) -> Plan:
    """A plan of the school for the year, submitted as version `number`, with its facts."""
    plan = db.session.query(Plan).filter_by(school_id=school.id, academic_year=year).one_or_none()
    if plan is None:
        plan = Plan(school_id=school.id, academic_year=year)
        db.session.add(plan)
        db.session.flush()
        db.session.add(PlanAnswer(plan_id=plan.id, step="about-your-school", data={}))
    plan.status = PlanStatus.SUBMITTED
    plan.version = number
    db.session.add(PlanVersion(plan_id=plan.id, number=number, snapshot=snap))
    write_facts(plan, school, snap, number)
    if commit:
        db.session.commit()
    return plan
