"""Blueprints. Views stay thin: the work is in the modules they call."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Literal

from flask import request, url_for
from flask_login import current_user

from wizard.domain.inputs import parse_whole_number
from wizard.render.locale import valid_language
from wizard.web.extensions import htmx
from wizard.web.i18n import select_locale
from wizard.web.text import pgettext

if TYPE_CHECKING:
    from wizard.services.accounts import User


def wants_partial() -> bool:
    """Only a move made through htmx gets a board's partial: a page load, a boosted link and a
    history restore (back button) always get the whole page."""
    return (
        request.method == "POST"
        and bool(htmx)
        and not htmx.boosted
        and not htmx.history_restore_request
    )


def posted_version(values: Any) -> int | None:
    """The version a page showed (its hidden "version"), None when missing or not a number."""
    return parse_whole_number((values.get("version") or "").strip())


FileWord = Literal["plan", "plans", "diamond-9", "draft", "version", "shared"]


def file_word(word: FileWord) -> str:
    """A word of a download's file name, in the page's language (a Welsh page downloads
    cynllun-dysgu-proffesiynol-2026-27-drafft-cy.pdf)."""
    words: dict[str, str] = {
        # TRANSLATORS: part of a file name: lower case, words joined by hyphens, no spaces.
        "plan": pgettext("file name", "professional-learning-plan"),
        # TRANSLATORS: part of a file name (a ZIP of a cluster's plans): lower case, no spaces.
        "plans": pgettext("file name", "plans"),
        # TRANSLATORS: part of a file name: lower case, words joined by hyphens, no spaces.
        "diamond-9": pgettext("file name", "diamond-9"),
        # TRANSLATORS: part of a file name (a plan not yet submitted): lower case, no spaces.
        "draft": pgettext("file name", "draft"),
        # TRANSLATORS: part of a file name (a submitted version, then its number): lower case.
        "version": pgettext("file name", "version"),
        # TRANSLATORS: part of a file name (a plan read through a share link): lower case, words
        # joined by hyphens, no spaces.
        "shared": pgettext("file name", "shared"),
    }
    return words[word]


def attachment(*parts: str | int) -> dict[str, str]:
    """The Content-Disposition header of a download, its name made only from parts we built
    (the parsed year, numbers, the language code, words of our catalogue), never from the raw
    URL. Accents are dropped (ŵ becomes w) so the name is plain ASCII for every browser."""
    name = "-".join(str(part) for part in parts[:-1]) + "." + str(parts[-1])
    plain = unicodedata.normalize("NFKD", name).lower()
    safe = "".join(c for c in plain if c.isascii() and (c.isalnum() or c in "-._"))
    return {"Content-Disposition": f'attachment; filename="{safe}"'}


def signed_in_user() -> User:
    """The signed-in user as a model object (not Flask-Login's proxy)."""
    user: User = current_user._get_current_object()
    return user


def home_url(user: Any, lang: str | None = None) -> str:
    """Where a signed-in user starts: their school's plan, their clusters, or their account,
    in `lang` (the language chosen on the account page) or else the page's language."""
    lang = valid_language(lang) or select_locale()
    if user.school_id is not None:
        return url_for("plan.index", lang=lang)
    if user.is_coordinator:
        return url_for("clusters.index", lang=lang)
    return url_for("account.index", lang=lang)


# A new line with the indentation and blank lines after it: what removing the indentation after
# every new line, then collapsing the new lines left in a row, removes, in one pass.
_INDENTATION_AND_BLANK_LINES = re.compile(r"\n[ \t\n]+")


def compact_html(html: str) -> str:
    """The page without the templates' indentation and blank lines (about 1.5 KB of the
    Diamond 9's), which browsers ignore. A page with a <pre> or <textarea>, where leading
    white space is content, is left as it is."""
    if "<pre" in html or "<textarea" in html:
        return html
    return _INDENTATION_AND_BLANK_LINES.sub("\n", html)
