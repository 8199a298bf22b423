"""The year-end figures of a cluster, a local authority or Wales as CSV files: planned against
actual spending by purpose, and the impact on each priority card. Written as the cluster's
other exports are (render/csv_export.py: UTF-8 with a byte-order mark, every cell made safe),
with each header in both languages ("Purpose / Diben"), so that one file serves a
bilingual team; the rows' names are in the page's language."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from flask_babel import force_locale, gettext

from wizard.domain.year_end import IMPACT_LEVELS
from wizard.render.csv_export import BOM, pounds, safe_cell


class Number(str):
    """A number we wrote ("-200.00"): not escaped as a formula, as text would be."""


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """As csv_export.to_csv, with our numbers left as numbers (a difference may be negative)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([cell if isinstance(cell, Number) else safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _bilingual(message: Callable[[], Any]) -> str:
    """A header in English and Welsh: "Planned (£) / Wedi'i gynllunio (£)"."""
    with force_locale("en"):
        english = str(message())
    with force_locale("cy"):
        welsh = str(message())
    return english if english == welsh else f"{english} / {welsh}"


def spending_csv(purposes: Sequence[tuple[str, int, int]]) -> bytes:
    """(purpose's title, pence planned, pence spent) rows."""
    header = [
        _bilingual(lambda: gettext("Purpose")),
        _bilingual(lambda: gettext("Planned (£)")),
        _bilingual(lambda: gettext("Spent (£)")),
        _bilingual(lambda: gettext("Difference (£)")),
    ]
    rows = [
        [title, Number(pounds(planned)), Number(pounds(actual)), Number(pounds(actual - planned))]
        for title, planned, actual in purposes
    ]
    return to_csv(header, rows)


def impact_csv(impact: Sequence[tuple[str, Any]]) -> bytes:
    """(card's title, ImpactCount) rows."""
    header = [
        _bilingual(lambda: gettext("Card")),
        _bilingual(lambda: gettext("Schools")),
        *(_bilingual(partial(str, level.title)) for level in IMPACT_LEVELS),
        _bilingual(lambda: gettext("Success criteria met")),
        _bilingual(lambda: gettext("Partly met")),
        _bilingual(lambda: gettext("Not met")),
    ]
    rows = [
        [
            title,
            row.schools,
            *(row.levels[level.key] for level in IMPACT_LEVELS),
            row.met,
            row.partly,
            row.not_met,
        ]
        for title, row in impact
    ]
    return to_csv(header, rows)
