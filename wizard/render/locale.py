"""Languages and the locale a text is rendered in: our two languages, a name in one of them,
this request's translations, a moment in another language (an email in its recipient's), and
money and dates as people read them in each.

Below the web layer: pages, emails, exports and documents all render through it, and it knows
nothing of URLs, sessions or who is signed in (those are `wizard.web.i18n`'s)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency
from flask import g
from flask_babel import force_locale, get_locale, get_translations
from markupsafe import Markup

from wizard.domain.money import pence_to_decimal

LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
# People read times in Welsh time; stored times are UTC.
TIMEZONE = "Europe/London"


def in_language(english: str | None, welsh: str | None, lang: str) -> str:
    """A name in the given language where there is one, else in the other (plain text)."""
    preferred, fallback = (welsh, english) if lang == "cy" else (english, welsh)
    return preferred or fallback or ""


def other_language(lang: str) -> str:
    return "cy" if lang == "en" else "en"


def valid_language(value: object) -> str | None:
    """Return the language code if it is one of ours, else None (never trust a stored value)."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def current_locale() -> str:
    """The language being rendered in now ("en" or "cy")."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def _babel_locale() -> str:
    return "cy_GB" if current_locale() == "cy" else "en_GB"


# --- This request's translations -------------------------------------------------------------

_CACHE = "_wizard_translations"


def _translations() -> Any:
    """This request's translations, looked up once: Flask-Babel's own lookup goes through
    several context proxies on every call, which adds up on pages with many strings."""
    cached = g.get(_CACHE)
    if cached is None:
        cached = get_translations()
        setattr(g, _CACHE, cached)
    return cached


def current_translations() -> Any:
    """This request's translations (the object itself: one per language and app)."""
    return _translations()


def translate(string: str) -> str:
    """gettext for templates, through the cached translations."""
    text: str = _translations().ugettext(string)
    return text


def translate_plural(singular: str, plural: str, num: int) -> str:
    """ngettext for templates, through the cached translations."""
    text: str = _translations().ungettext(singular, plural, num)
    return text


def translate_in_context(context: str, string: str) -> str:
    """A string with a msgctxt, for an English word that needs two Welsh translations."""
    text: str = _translations().upgettext(context, string)
    return text


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Render in another language for a moment (an email in the recipient's language)."""
    g.pop(_CACHE, None)
    try:
        with force_locale(locale):
            yield
    finally:
        g.pop(_CACHE, None)


# --- Money and dates -------------------------------------------------------------------------


def format_long_date(value: date | datetime | None) -> str:
    """GOV.UK style dates: "22 November 2026", "22 Tachwedd 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(
            value, "d MMMM y", tzinfo=get_timezone(TIMEZONE), locale=_babel_locale()
        )
    return format_date(value, "d MMMM y", locale=_babel_locale())


def format_time(value: datetime | None) -> str:
    """ "22 November 2026, 14:05" in Welsh time, for "last saved" notes."""
    if value is None:
        return ""
    return format_datetime(
        value, "d MMMM y, HH:mm", tzinfo=get_timezone(TIMEZONE), locale=_babel_locale()
    )


def clock_time(value: datetime) -> str:
    """ "14:05" in Welsh time, with the day too when it is not today ("8 December 2026, 09:00")."""
    zone = get_timezone(TIMEZONE)
    same_day = format_datetime(value, "y-MM-dd", tzinfo=zone) == format_datetime(
        datetime.now(value.tzinfo), "y-MM-dd", tzinfo=zone
    )
    return format_datetime(
        value, "HH:mm" if same_day else "d MMMM y, HH:mm", tzinfo=zone, locale=_babel_locale()
    )


def format_money(pence: int | None) -> str:
    """£1,250.00 from 125000 pence."""
    if pence is None:
        return ""
    return format_currency(pence_to_decimal(pence), "GBP", locale=_babel_locale())


def localised(english: str | None, welsh: str | None) -> Markup:
    """Text in the language being rendered where we have it, else the other, marked with its
    `lang`."""
    lang = current_locale()
    preferred, fallback = (welsh, english) if lang == "cy" else (english, welsh)
    if preferred:
        return Markup("%s") % preferred
    if fallback:
        return Markup('<span lang="%s">%s</span>') % (other_language(lang), fallback)
    return Markup("")
