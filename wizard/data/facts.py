"""Reporting facts, written at submission in the submit transaction: one row per hallmark
rating, Diamond 9 placement and funding line of the version, so that every aggregate is a
GROUP BY query whatever the number of schools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from wizard.data.database import db
from wizard.data.models import FactFunding, FactPlacement, FactRating
from wizard.domain import framework
from wizard.domain.diamond import ROW_OF
from wizard.domain.plan_document import PlanDocument

if TYPE_CHECKING:
    from wizard.data.models import Plan, School

_FACTS = (FactRating, FactPlacement, FactFunding)


def write_facts(
    plan: Plan, school: School, snapshot: Mapping[str, Any], version_number: int
) -> None:
    """Add the facts of a submitted version (its snapshot), and mark the school's earlier facts
    for the year as no longer the latest. Does not commit: the caller's transaction (submit)
    does. Hallmarks are recorded by their stable ids."""
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
    document = PlanDocument.from_stored(snapshot)
    known_ratings = {rating.key for rating in framework.RATINGS}
    ratings = [
        FactRating(**keys, hallmark=hallmark.id, rating=rating)
        for hallmark in sorted(framework.HALLMARKS, key=lambda h: h.id)
        if (rating := document.rating(hallmark.id)) in known_ratings
    ]
    placements = []
    for slot, card in sorted(document.board.slots.items()):
        own = document.own_card(card)
        placements.append(
            FactPlacement(
                **keys,
                card_key=card,
                row=ROW_OF[slot],
                title_en=own.title_en if own else None,
                title_cy=own.title_cy if own else None,
            )
        )
    funding = [
        FactFunding(
            **keys,
            purpose=line.purpose,
            priority=line.priority,
            amount_pence=line.amount_pence,
        )
        for line in document.lines
    ]
    db.session.add_all([*ratings, *placements, *funding])
