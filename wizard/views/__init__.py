"""Blueprints. Views stay thin: the work is in the modules they call."""

from __future__ import annotations

from typing import Any

from flask import url_for


def home_url(user: Any) -> str:
    """Where a signed-in user starts: their school's plan, their clusters, or their account."""
    if user.school_id is not None:
        return url_for("plan.index")
    if user.is_coordinator:
        return url_for("clusters.index")
    return url_for("account.index")
