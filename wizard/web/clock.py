"""Today's date for the pages, for rules that depend on it (the term a progress update is for).

One clock with the services' (wizard/services/clock.py, which tests may monkeypatch); an app
made with `WIZARD_TODAY` in its config (a `date`, set only from Python, never from the
environment: the browser tests' live server) takes that as today instead."""

from __future__ import annotations

from datetime import date

from flask import current_app

from wizard.services import clock


def today() -> date:
    fixed = current_app.config.get("WIZARD_TODAY")
    if isinstance(fixed, date):
        return fixed
    return clock.today()
