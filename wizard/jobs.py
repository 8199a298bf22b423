"""Background jobs, run by the RQ worker (`make worker`, `flask --app wizard worker`).

A job names its function by path (`wizard.jobs.send_mail`), so the web processes never import
this module; the worker runs each job inside the application (its database, configuration and
templates), made once per process.
"""

from __future__ import annotations

from flask import Flask, has_app_context

_app: Flask | None = None


def _application() -> Flask:
    global _app
    if _app is None:
        from wizard import create_app

        _app = create_app()
    return _app


def send_mail(outbox_id: int) -> bool:
    """Send one email of the outbox; raises (so that RQ retries it) when the server fails."""
    from wizard.services.outbox import deliver

    if has_app_context():
        return deliver(outbox_id)
    with _application().app_context():
        return deliver(outbox_id)
