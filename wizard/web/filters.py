"""Template filters and globals: dates, money and asset URLs in the page's locale."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency
from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup

from wizard.domain.academic_year import year_label, year_slug
from wizard.domain.money import pence_to_decimal
from wizard.domain.names import plain_name


def _locale() -> str:
    return str(get_locale() or "en")


def format_long_date(value: date | datetime | None) -> str:
    """GOV.UK style dates: "22 November 2026", "22 Tachwedd 2026"."""
    if value is None:
        return ""
    locale = "en_GB" if _locale() == "en" else "cy_GB"
    if isinstance(value, datetime):
        # Stored times are UTC; people read them in Welsh time.
        return format_datetime(
            value, "d MMMM y", tzinfo=get_timezone("Europe/London"), locale=locale
        )
    return format_date(value, "d MMMM y", locale=locale)


def format_time(value: datetime | None) -> str:
    """ "2:05pm" style times in Welsh time, for "last saved" notes."""
    if value is None:
        return ""
    locale = "en_GB" if _locale() == "en" else "cy_GB"
    return format_datetime(
        value, "d MMMM y, HH:mm", tzinfo=get_timezone("Europe/London"), locale=locale
    )


def clock_time(value: datetime) -> str:
    """ "14:05" in Welsh time, with the day too when it is not today ("8 December 2026, 09:00")."""
    zone = get_timezone("Europe/London")
    locale = "en_GB" if _locale() == "en" else "cy_GB"
    same_day = format_datetime(value, "y-MM-dd", tzinfo=zone) == format_datetime(
        datetime.now(value.tzinfo), "y-MM-dd", tzinfo=zone
    )
    return format_datetime(
        value, "HH:mm" if same_day else "d MMMM y, HH:mm", tzinfo=zone, locale=locale
    )


def format_money(pence: int | None) -> str:
    """£1,250.00 from 125000 pence."""
    if pence is None:
        return ""
    locale = "en_GB" if _locale() == "en" else "cy_GB"
    return format_currency(pence_to_decimal(pence), "GBP", locale=locale)


def iso_date(value: str | None) -> datetime | None:
    """Read back a time stored as ISO text (as snapshots keep them)."""
    return datetime.fromisoformat(value) if value else None


def localised(english: str | None, welsh: str | None) -> Markup:
    """Text in the page's language where we have it, else the other, marked with its `lang`."""
    lang = _locale()
    preferred, fallback = (welsh, english) if lang == "cy" else (english, welsh)
    if preferred:
        return Markup("%s") % preferred
    if fallback:
        other = "en" if lang == "cy" else "cy"
        return Markup('<span lang="%s">%s</span>') % (other, fallback)
    return Markup("")


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

    from wizard.domain import framework
    from wizard.domain.funding import summarise as funding_summary
    from wizard.web import labels

    app.add_template_global(funding_summary, "funding_summary")
    from wizard.web.over_allocation import over_phrase, over_warning

    app.add_template_global(over_phrase, "over_phrase")
    app.add_template_global(over_warning, "over_warning")
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.globals["framework"] = framework
