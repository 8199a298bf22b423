"""Year-end reviews for seed-wales: most schools' latest submitted plans get a submitted review
of it, with its reporting facts, so that the national view has figures of planned against actual
spending and impact. Inserted in bulk, as the plans are."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert

from wizard.data.database import db
from wizard.data.models import (
    FactYearEndFunding,
    FactYearEndImpact,
    PlanStatus,
    YearEndReview,
    YearEndVersion,
)
from wizard.data.year_end import fact_rows
from wizard.domain import framework
from wizard.domain import year_end as rules
from wizard.domain.plan_document import PlanDocument

REVIEWED = 0.7
"""The share of submitted plans with a submitted year-end review."""
BATCH = 1000


def _sections(rng: random.Random, reviewed: rules.ReviewedPlan) -> dict[str, Any]:
    actuals = {}
    for line in reviewed.lines:
        happened = rng.random() > 0.1
        share = rng.choice((0.8, 0.9, 1.0, 1.0, 1.1, 1.25)) if happened else 0.0
        actuals[line.id] = {
            "actual_pence": round(line.amount_pence * share),
            "happened": "yes" if happened else "no",
        }
    sections: dict[str, Any] = {
        rules.FUNDING: {"actuals": actuals, "added": [], "explanation": "Seeded"}
    }
    for card in reviewed.priorities:
        levels = rules.LEVEL_KEYS[: rng.randrange(0, 6)]
        criteria = rng.choices(rules.CRITERIA, weights=(5, 3, 2))[0]
        sections[rules.impact_section(card)] = {
            "levels": list(levels),
            "evidence": "",
            "criteria": criteria,
        }
    sections[rules.HALLMARKS] = {
        "ratings": {
            str(h.id): rng.choice(("developing", "established", "embedded"))
            for h in framework.HALLMARKS
        }
    }
    sections[rules.CARRY_OVER] = {"carry": [], "notes": ""}
    return sections


def _insert(model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), list(rows[start : start + BATCH]))


def seed_wales_year_end(
    rng: random.Random,
    versions: Sequence[dict[str, Any]],
    keys_of_plan: dict[int, dict[str, Any]],
    now: datetime,
) -> int:
    """A submitted year-end review of the latest version of most plans (`versions`: every
    version's row; `keys_of_plan`: plan id -> the school's fact keys); return how many."""
    latest: dict[int, dict[str, Any]] = {}
    for row in versions:
        if row["number"] >= latest.get(row["plan_id"], {}).get("number", 0):
            latest[row["plan_id"]] = row
    chosen = [row for plan_id, row in sorted(latest.items()) if rng.random() < REVIEWED]
    review_ids: list[int] = []
    for start in range(0, len(chosen), BATCH):
        statement = insert(YearEndReview).returning(YearEndReview.id, sort_by_parameter_order=True)
        review_ids.extend(
            db.session.scalars(
                statement,
                [
                    {
                        "plan_id": row["plan_id"],
                        "status": PlanStatus.SUBMITTED,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for row in chosen[start : start + BATCH]
                ],
            )
        )
    review_versions, funding, impact = [], [], []
    for review_id, row in zip(review_ids, chosen, strict=True):
        reviewed = rules.ReviewedPlan.of(PlanDocument.from_stored(row["snapshot"]))
        document = rules.YearEndDocument.from_sections(reviewed, _sections(rng, reviewed))
        at = now - timedelta(days=rng.randrange(1, 20))
        review_versions.append(
            {
                "review_id": review_id,
                "number": 1,
                "snapshot": document.to_stored(),
                "submitted_at": at,
            }
        )
        keys = {**keys_of_plan[row["plan_id"]], "version_number": 1, "latest": True}
        lines, priorities = fact_rows(document, keys)
        funding += lines
        impact += priorities
    _insert(YearEndVersion, review_versions)
    _insert(FactYearEndFunding, funding)
    _insert(FactYearEndImpact, impact)
    return len(chosen)
