"""Template filters and globals: dates, money and names in the page's locale (formatted by
`wizard.render.locale`), and the lookups templates may make."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from wizard.domain.academic_year import year_label, year_slug
from wizard.domain.names import plain_name
from wizard.render.locale import (
    clock_time,
    format_long_date,
    format_money,
    format_time,
    localised,
)
from wizard.render.order import alphabetical
from wizard.render.written import written_in
from wizard.web import labels, year_end
from wizard.web.over_allocation import over_phrase, over_warning
from wizard.web.written import in_other_language


def iso_date(value: str | None) -> datetime | None:
    """Read back a time stored as ISO text (as snapshots keep them)."""
    return datetime.fromisoformat(value) if value else None


def init_app(app: Flask) -> None:
    app.add_template_filter(format_long_date, "long_date")
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_time, "date_time")
    app.add_template_filter(clock_time, "clock_time")
    app.add_template_filter(iso_date, "iso_date")
    app.add_template_filter(year_label, "year_label")
    # A person's name in an email: plain words only (wizard/domain/names.py).
    app.add_template_filter(plain_name, "plain_name")
    app.add_template_filter(year_slug, "year_slug")
    app.add_template_global(localised)
    app.add_template_global(written_in, "written_in")
    app.add_template_filter(alphabetical, "alphabetical")
    app.add_template_global(in_other_language, "in_other_language")
    app.add_template_global(over_phrase, "over_phrase")
    app.add_template_global(over_warning, "over_warning")
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.globals["year_end_labels"] = year_end
