"""Blueprints. Views stay thin: the work is in the modules they call."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import abort, url_for
from flask_login import current_user

from wizard.domain.academic_year import academic_year_of, parse_year_slug

if TYPE_CHECKING:
    from wizard.data.models import User

# A school may look back at earlier years and plan one year ahead.
YEARS_BACK = 10


def academic_year_or_404(slug: str) -> int:
    """The academic year a URL names, if it is one a school may open."""
    year = parse_year_slug(slug)
    current = academic_year_of(date.today())
    if year is None or not current - YEARS_BACK <= year <= current + 1:
        abort(404)
    return year


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


def home_url(user: Any) -> str:
    """Where a signed-in user starts: their school's plan, their clusters, or their account."""
    if user.school_id is not None:
        return url_for("plan.index")
    if user.is_coordinator:
        return url_for("clusters.index")
    return url_for("account.index")
