"""What the cluster dashboard and the national view show: the aggregates of the reporting
facts, in the page's language, as charts (inline SVG) and tables with the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from wizard.domain import framework
from wizard.domain.aggregates import (
    OWN_CARDS,
    HeatRow,
    Share,
    Spread,
    heat_map,
    heat_max,
    rating_spread,
    shares,
)
from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import ROW_COUNT
from wizard.domain.plan_document import PlanDocument
from wizard.domain.values import DashboardStatus
from wizard.render.charts import Bar, bars_svg, heat_map_svg, stacked_bars_svg
from wizard.render.locale import format_money
from wizard.render.staff_voice import NOT_ON_THE_SCALE
from wizard.services.reporting import Facts
from wizard.web.text import gettext as _

STATUS_LABELS = {
    DashboardStatus.NOT_STARTED: _l("Not started"),
    DashboardStatus.IN_PROGRESS: _l("In progress"),
    DashboardStatus.SUBMITTED: _l("Submitted"),
    DashboardStatus.CHANGES_REQUESTED: _l("Changes requested"),
    DashboardStatus.REVIEWED: _l("Reviewed"),
}
# GOV.UK tag colours (those GOV.UK Frontend 6 has; no modifier is blue): the words say the
# status, the colour only repeats it.
STATUS_TAGS = {
    DashboardStatus.NOT_STARTED: "govuk-tag--grey",
    DashboardStatus.IN_PROGRESS: "",
    DashboardStatus.SUBMITTED: "govuk-tag--purple",
    DashboardStatus.CHANGES_REQUESTED: "govuk-tag--orange",
    DashboardStatus.REVIEWED: "govuk-tag--green",
}


@dataclass(frozen=True)
class Report:
    schools: int
    """How many schools have a submitted version counted."""
    heat_rows: list[tuple[str, HeatRow]]
    heat_svg: Any
    row_labels: list[str]
    rating_labels: list[str]
    spreads: list[tuple[str, Spread]]
    spread_svg: Any
    purposes: list[tuple[str, Share]]
    purpose_svg: Any
    by_school: list[tuple[str, Share]]
    school_svg: Any
    funding_total: int


def _locale() -> str:
    return str(get_locale() or "en")


def card_title(key: str, catalogue: CardCatalogue) -> str:
    if key == OWN_CARDS:
        return _("Schools' own cards")
    info = catalogue.get(key)
    return info.title if info else key


def purpose_title(key: str) -> str:
    found = next((p for p in framework.FUNDING_PURPOSES if p.key == key), None)
    return str(found.title) if found else (key or _("No purpose given"))


def build_report(facts: Facts) -> Report:
    """Every aggregate of the facts (services.reporting.facts), as charts and tables."""
    locale = _locale()
    catalogue = CardCatalogue({}, [], locale)
    rows = heat_map(facts.placements)
    heat_rows = [(card_title(row.card, catalogue), row) for row in rows]
    row_labels = [_("Row %(number)d", number=number) for number in range(1, ROW_COUNT + 1)]
    ratings = facts.ratings
    rating_keys = [rating.key for rating in framework.RATINGS]
    rating_labels = [str(rating.title) for rating in framework.RATINGS]
    spreads = [
        (str(hallmark.title), spread)
        for hallmark, spread in zip(
            framework.HALLMARKS,
            rating_spread(ratings, [h.id for h in framework.HALLMARKS], rating_keys),
            strict=True,
        )
    ]
    schools = max((spread.total for _, spread in spreads), default=0)
    purposes = [(purpose_title(s.key), s) for s in shares(facts.by_purpose)]
    amounts = []
    for name_en, name_cy, pence in facts.by_school:
        name = (name_cy or name_en) if locale == "cy" else name_en
        amounts.append((name, pence))
    by_school = [(s.key, s) for s in shares(amounts)]
    return Report(
        schools=schools,
        heat_rows=heat_rows,
        heat_svg=heat_map_svg(
            _("Diamond 9 heat map: the number of schools that put each card in each row"),
            row_labels,
            [(title, row.counts) for title, row in heat_rows],
            heat_max(rows),
        ),
        row_labels=row_labels,
        rating_labels=rating_labels,
        spreads=spreads,
        spread_svg=stacked_bars_svg(
            _("The number of schools giving each rating, for each hallmark"),
            rating_labels,
            [(title, spread.counts) for title, spread in spreads],
            apart=NOT_ON_THE_SCALE,
        ),
        purposes=purposes,
        purpose_svg=bars_svg(
            _("Funding planned by purpose"),
            [Bar(title, s.pence, format_money(s.pence)) for title, s in purposes],
        ),
        by_school=by_school,
        school_svg=bars_svg(
            _("Funding planned by school"),
            [Bar(title, s.pence, format_money(s.pence)) for title, s in by_school],
        ),
        funding_total=sum(s.pence for _, s in purposes),
    )


def beside_cluster(
    document: PlanDocument,
    placements: list[tuple[str, int, int]],
    ratings: list[tuple[int, str, int]],
) -> dict[str, Any]:
    """A school's ratings and board beside its cluster's (their latest submitted versions):
    for each hallmark, the number of schools giving each rating with the school's marked; for
    each card on the school's board, the number of schools putting it in each row with the
    school's marked; and the cards this school alone put in their row."""
    locale = _locale()
    catalogue = CardCatalogue(document, document.own_cards, locale)
    rating_keys = [rating.key for rating in framework.RATINGS]
    spreads = rating_spread(ratings, [h.id for h in framework.HALLMARKS], rating_keys)
    rating_rows = [
        {
            "title": f"{hallmark.number}. {hallmark.title}",
            "cells": [
                {"count": count, "mine": document.rating(hallmark.id) == key}
                for key, count in zip(rating_keys, spread.counts, strict=True)
            ],
        }
        for hallmark, spread in zip(framework.HALLMARKS, spreads, strict=True)
    ]
    counts: dict[str, list[int]] = {}
    for card, row, number in placements:
        if 1 <= row <= ROW_COUNT:
            counts.setdefault(card, [0] * ROW_COUNT)[row - 1] += number
    schools = max((spread.total for spread in spreads), default=0)
    card_rows, alone = [], []
    for card, row in sorted(document.board.rows.items(), key=lambda item: (item[1], item[0])):
        info = catalogue.get(card)
        title = info.title if info else card
        found = counts.get(card, [0] * ROW_COUNT)
        if card.startswith("own:"):
            continue  # a school's own card is its own: nothing to compare it with
        card_rows.append(
            {
                "title": title,
                "row": row,
                "cells": [
                    {"count": count, "mine": index + 1 == row} for index, count in enumerate(found)
                ],
            }
        )
        if found[row - 1] == 1 and schools > 1:
            alone.append(_("Only this school put %(card)s in row %(row)d.", card=title, row=row))
    return {
        "schools": schools,
        "rating_labels": [str(rating.title) for rating in framework.RATINGS],
        "ratings": rating_rows,
        "row_labels": [_("Row %(number)d", number=n) for n in range(1, ROW_COUNT + 1)],
        "cards": card_rows,
        "alone": alone,
    }
