"""The figures of a reporting page (the cluster dashboard, the national view): the aggregates
of the latest submitted plans and the year-end figures, as charts and tables, worked out once
per distinct figures and language and kept per process (render_cache.cached_fragment).

The HTML (templates/reporting/figures.html) depends on nothing but what the key holds: the
facts and year-end figures as the queries gave them, the status filter (whose note it shows),
the year-end CSV links and the language. The queries run on every request, so a submitted
version, a review or a renamed school is in the next page, on every worker and every host:
what is kept is only the work of turning the same numbers into the same HTML."""

from __future__ import annotations

import hashlib

from flask import render_template
from markupsafe import Markup

from wizard.services.reporting import Facts, YearEndFigures
from wizard.web.render_cache import cached_fragment
from wizard.web.reporting import build_report
from wizard.web.year_end import IMPACT_LEVELS, year_end_report


def figures_html(
    facts: Facts,
    year_end: YearEndFigures | None,
    year_end_csv: list[tuple[str, str]],
    status: str = "",
) -> Markup:
    """What `{% include "reporting/aggregates.html" %}` and `{% include
    "reporting/year_end.html" %}` give, from the cache when the same figures came before."""
    key = hashlib.sha256(repr((facts, year_end, year_end_csv, status)).encode()).hexdigest()

    def make() -> str:
        return render_template(
            "reporting/figures.html",
            report=build_report(facts),
            year_end=year_end_report(year_end),
            levels=IMPACT_LEVELS,
            year_end_csv=year_end_csv,
            status=status,
        )

    return cached_fragment(("figures", key), make)
