"""Reporting facts, written at submission in the submit transaction: one row per hallmark
rating, Diamond 9 placement and funding line of the version, so that every aggregate is a
GROUP BY query whatever the number of schools."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from wizard.data.database import db
from wizard.data.models import FactFunding, FactPlacement, FactRating
from wizard.domain import framework
from wizard.domain.diamond import ROW_OF, normalise
from wizard.domain.funding import lines_of
from wizard.domain.journey import BOARD_STEP, FUNDING_STEP

if TYPE_CHECKING:
    from wizard.data.models import Plan, School

_FACTS = (FactRating, FactPlacement, FactFunding)


def write_facts(plan: Plan, school: School, snapshot: dict[str, Any], version_number: int) -> None:
    """Add the facts of a submitted version, and mark the school's earlier facts for the year as
    no longer the latest. Does not commit: the caller's transaction (submit) does."""
    for model in _FACTS:
        db.session.execute(
            update(model)
            .where(
                model.school_id == school.id,
                model.academic_year == plan.academic_year,
                model.latest.is_(True),
            )
            .values(latest=False)
        )
    keys = {
        "school_id": school.id,
        "cluster_id": school.cluster_id,
        "local_authority_id": school.local_authority_id,
        "academic_year": plan.academic_year,
        "version_number": version_number,
        "latest": True,
    }
    answers: dict[str, dict[str, Any]] = snapshot.get("answers") or {}
    known_ratings = {rating.key for rating in framework.RATINGS}
    ratings = [
        FactRating(**keys, hallmark=hallmark.number, rating=rating)
        for hallmark in framework.HALLMARKS
        if (rating := (answers.get(f"hallmark-{hallmark.number}") or {}).get("rating"))
        in known_ratings
    ]
    own = {f"own:{card['id']}": card for card in snapshot.get("own_cards") or []}
    board = normalise((answers.get(BOARD_STEP) or {}).get("slots"))
    placements = [
        FactPlacement(
            **keys,
            card_key=card,
            row=ROW_OF[slot],
            title_en=(own.get(card) or {}).get("title_en"),
            title_cy=(own.get(card) or {}).get("title_cy"),
        )
        for slot, card in sorted(board.items())
    ]
    funding = [
        FactFunding(
            **keys,
            purpose=str(line.get("purpose") or ""),
            priority=str(line.get("priority") or ""),
            amount_pence=int(line.get("amount_pence") or 0),
        )
        for line in lines_of(answers.get(FUNDING_STEP))
    ]
    db.session.add_all([*ratings, *placements, *funding])
