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
from wizard.domain.values import DashboardStatus
from wizard.render.charts import Bar, bars_svg, heat_map_svg, stacked_bars_svg
from wizard.render.locale import format_money
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
