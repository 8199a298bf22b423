"""Today's date, for rules that depend on it (the term a progress update is for).

Tests control it: an app made with `WIZARD_TODAY` in its config (a `date`; set only from
Python, never from the environment) takes that as today."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app


def today() -> date:
    fixed = current_app.config.get("WIZARD_TODAY")
    if isinstance(fixed, date):
        return fixed
    return datetime.now(UTC).date()
