"""Every aggregate of a reporting page in one statement: the reporting facts of the scope's
latest submitted plans (placements, ratings, funding by purpose and by school) and of its latest
submitted year-end reviews (totals, spending by purpose, impact), as aggregates.py and
year_end.py count them one query each. The seven GROUP BY queries are sent as one UNION ALL, so a
page pays one round trip and one statement's overhead for them instead of seven; each part's
rows carry its number and its values in shared columns."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, Text, bindparam, cast, literal, null, union_all

from wizard.data.aggregates import (
    Scope,
    funding_by_purpose_query,
    funding_by_school_query,
    placement_counts_query,
    rating_counts_query,
)
from wizard.data.database import db
from wizard.data.year_end import (
    ImpactCount,
    impact_levels,
    year_end_impact_query,
    year_end_spend_query,
    year_end_totals_query,
)

_PLACEMENTS, _RATINGS, _PURPOSES, _SCHOOLS, _TOTALS, _SPENDING, _IMPACT = range(7)
_NUMBERS = 9  # the widest part: a card's impact (schools, five levels, three criteria)


@dataclass(frozen=True)
class Figures:
    """What facts() and year_end_figures() of services.reporting are made from."""

    placements: list[tuple[str, int, int]]
    ratings: list[tuple[int, str, int]]
    by_purpose: list[tuple[str, int]]
    by_school: list[tuple[str, str | None, int]]
    year_end_totals: tuple[int, int, int]
    year_end_by_purpose: list[tuple[str, int, int]]
    year_end_impact: list[ImpactCount]


def _part(number: int, query: Any, texts: list[Any], numbers: list[Any]) -> Any:
    """The query's columns as (part, text 1, text 2, number 1...number 9)."""
    texts = [cast(t, Text) for t in texts] + [cast(null(), Text)] * (2 - len(texts))
    numbers = [cast(n, BigInteger) for n in numbers]
    numbers += [cast(null(), BigInteger)] * (_NUMBERS - len(numbers))
    return query.with_only_columns(literal(number).label("part"), *texts, *numbers)


@cache
def _statement(by_cluster: bool, by_authority: bool) -> Any:
    """The statement for one kind of scope (Wales, an authority, a cluster), built once per
    process: its year, cluster and authority are bound parameters of the same names, so
    SQLAlchemy neither builds it nor works out its cache key again on each request."""
    scope = Scope(
        bindparam("academic_year", type_=Integer),  # type: ignore[arg-type]
        bindparam("cluster_id", type_=Integer) if by_cluster else None,  # type: ignore[arg-type]
        (
            bindparam("local_authority_id", type_=Integer)  # type: ignore[arg-type]
            if by_authority
            else None
        ),
    )
    placements = placement_counts_query(scope)
    card, row, count = placements.selected_columns
    ratings = rating_counts_query(scope)
    hallmark, rating, rated = ratings.selected_columns
    purposes = funding_by_purpose_query(scope)
    purpose, pence = purposes.selected_columns
    schools = funding_by_school_query(scope)
    name_en, name_cy, school_pence = schools.selected_columns
    totals = year_end_totals_query(scope)
    reviewed, planned, actual = totals.selected_columns
    spending = year_end_spend_query(scope)
    spent_on, spend_planned, spend_actual = spending.selected_columns
    impact = year_end_impact_query(scope)
    impact_card, *impact_numbers = impact.selected_columns
    statement = union_all(
        _part(_PLACEMENTS, placements, [card], [row, count]),
        _part(_RATINGS, ratings, [rating], [hallmark, rated]),
        _part(_PURPOSES, purposes, [purpose], [pence]),
        _part(_SCHOOLS, schools, [name_en, name_cy], [school_pence]),
        _part(_TOTALS, totals, [], [reviewed, planned, actual]),
        _part(_SPENDING, spending, [spent_on], [spend_planned, spend_actual]),
        _part(_IMPACT, impact, [impact_card], impact_numbers),
    )
    return statement


def figures(scope: Scope) -> Figures:
    """Every aggregate of the scope, in one statement."""
    by_cluster, by_authority = scope.cluster_id is not None, scope.local_authority_id is not None
    values: dict[str, int | None] = {"academic_year": scope.academic_year}
    if by_cluster:
        values["cluster_id"] = scope.cluster_id
    if by_authority:
        values["local_authority_id"] = scope.local_authority_id
    statement = _statement(by_cluster, by_authority)
    parts: dict[int, list[Any]] = {number: [] for number in range(7)}
    for found in db.session.execute(statement, values):
        parts[int(found[0])].append(found)

    def n(value: Any) -> int:
        return int(value or 0)

    total = parts[_TOTALS][0] if parts[_TOTALS] else None
    levels = impact_levels()
    return Figures(
        placements=[(str(r[1]), n(r[3]), n(r[4])) for r in parts[_PLACEMENTS]],
        ratings=[(n(r[3]), str(r[1]), n(r[4])) for r in parts[_RATINGS]],
        by_purpose=[(str(r[1]), n(r[3])) for r in parts[_PURPOSES]],
        by_school=[(str(r[1]), r[2], n(r[3])) for r in parts[_SCHOOLS]],
        year_end_totals=(n(total[3]), n(total[4]), n(total[5])) if total else (0, 0, 0),
        year_end_by_purpose=[(str(r[1]), n(r[3]), n(r[4])) for r in parts[_SPENDING]],
        year_end_impact=[
            ImpactCount(
                str(r[1]),
                n(r[3]),
                dict(zip(levels, (n(v) for v in r[4:9]), strict=True)),
                n(r[9]),
                n(r[10]),
                n(r[11]),
            )
            for r in parts[_IMPACT]
        ],
    )
