"""What the results of a staff voice round show (domain.staff_voice.disclose decides what
may be shown): each hallmark's spread of ratings with the leaders' gap, the roles, the heat
map of where staff put the cards and the consensus board, in the page's language, with their
charts. Built by services.staff_voice.results for the results page and for applying the
consensus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wizard.domain import framework
from wizard.domain.aggregates import HeatRow, Spread, heat_max
from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import ROW_COUNT, ranked
from wizard.domain.staff_voice import (
    LEADER,
    NO_ROLE,
    SUPPORT,
    TEACHER,
    Gap,
    StaffAnswer,
    disclose,
)
from wizard.render.charts import heat_map_svg, stacked_bars_svg

ROLE_LABELS = {
    TEACHER: _l("Teacher"),
    SUPPORT: _l("Support staff"),
    LEADER: _l("Leader"),
    NO_ROLE: _l("Role not given"),
}
# "Not sure", the last rating, is no point on the scale: the chart draws it apart.
NOT_ON_THE_SCALE = sum(1 for rating in framework.RATINGS if rating.key == "not-sure")


@dataclass(frozen=True)
class HallmarkResult:
    number: int
    title: str
    spread: Spread | None
    """None: fewer than five staff rated this hallmark, so its spread is not shown."""
    school_rating: str | None
    gap: Gap


@dataclass(frozen=True)
class Results:
    responses: int
    closed: bool
    """The round has closed: until then only the number of responses is shown."""
    shown: bool
    """Closed with at least five responses: results may be shown."""
    roles: list[tuple[str, int | None]]
    """Each role's label and count (None when hidden: see domain.staff_voice)."""
    hallmarks: list[HallmarkResult]
    rating_labels: list[str]
    spread_svg: Any
    complete_boards: int
    boards_shown: bool
    """At least five complete boards: the heat map and the consensus board may be shown."""
    heat_rows: list[tuple[str, HeatRow]]
    heat_svg: Any
    row_labels: list[str]
    consensus: dict[int, str]
    consensus_ranked: list[list[str]]


def heat_table(
    rows: list[HeatRow], catalogue: CardCatalogue
) -> tuple[list[tuple[str, HeatRow]], Any, list[str]]:
    """The staff heat map as the cluster dashboard draws it: a chart and the rows of its table."""
    heat_rows = [(catalogue[row.card].title, row) for row in rows]
    row_labels = [_("Row %(number)d", number=number) for number in range(1, ROW_COUNT + 1)]
    svg = heat_map_svg(
        _("Staff heat map: the number of staff who put each card in each row"),
        row_labels,
        [(title, row.counts) for title, row in heat_rows],
        heat_max(rows),
    )
    return heat_rows, svg, row_labels


def build_results(
    answers: list[StaffAnswer],
    closed: bool,
    catalogue: CardCatalogue,
    school_ratings: dict[int, str],
) -> Results:
    """Everything the results page may show (domain.staff_voice.disclose): only the count while
    the round is open or fewer than five responded."""
    rating_keys = [rating.key for rating in framework.RATINGS]
    ids = [h.id for h in framework.HALLMARKS]
    found = disclose(answers, closed, ids, rating_keys, catalogue)
    if not found.shown:
        return Results(
            found.responses, closed, False, [], [], [], None, 0, False, [], None, [], {}, []
        )
    rating_labels = [str(rating.title) for rating in framework.RATINGS]
    hallmarks = [
        HallmarkResult(
            hallmark.number,
            str(hallmark.title),
            spread,
            school_ratings.get(hallmark.id),
            gap,
        )
        for hallmark, spread, gap in zip(
            framework.HALLMARKS, found.spreads, found.gaps, strict=True
        )
    ]
    spread_svg = stacked_bars_svg(
        _("The number of staff giving each rating, for each hallmark"),
        rating_labels,
        [(f"{h.number}. {h.title}", h.spread.counts) for h in hallmarks if h.spread is not None],
        apart=NOT_ON_THE_SCALE,
    )
    heat_rows: list[tuple[str, HeatRow]] = []
    heat_svg: Any = None
    row_labels: list[str] = []
    if found.heat_rows is not None:
        heat_rows, heat_svg, row_labels = heat_table(found.heat_rows, catalogue)
    roles = [(str(ROLE_LABELS[role]), number) for role, number in found.roles.items()]
    return Results(
        found.responses,
        closed,
        True,
        roles,
        hallmarks,
        rating_labels,
        spread_svg,
        found.complete_boards,
        found.heat_rows is not None,
        heat_rows,
        heat_svg,
        row_labels,
        found.consensus,
        ranked(found.consensus),
    )
