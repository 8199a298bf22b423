"""Today's date, in one place, so that tests can set it (monkeypatch `clock.today`) to any
day of the academic year: the year-end review opens from the summer term."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()
