"""Blueprints. Views stay thin: the work is in the modules they call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import url_for
from flask_login import current_user

from wizard.web.i18n import select_locale, valid_language

if TYPE_CHECKING:
    from wizard.data.models import User


def attachment(*parts: str | int) -> dict[str, str]:
    """The Content-Disposition header of a download, its name made only from parts we built
    (the parsed year, numbers, the language code), never from the raw URL."""
    name = "-".join(str(part) for part in parts[:-1]) + "." + str(parts[-1])
    safe = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "-._"))
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
