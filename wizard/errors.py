"""Error pages in the page's language, and 503 when the database is unavailable."""

from __future__ import annotations

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db, login_manager

HANDLED = (400, 403, 404, 405, 409, 413, 429, 500, 503)


def render_error(status: int) -> tuple[str, int]:
    return render_template("errors/error.html", status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/error.html", status=400, csrf=True), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        status = error.code or 500
        if status not in HANDLED:
            return error
        return render_error(status)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error: Exception) -> tuple[str, int]:
        # Nothing half-saved: whatever this request had started is rolled back.
        app.logger.exception("Database error")
        db.session.rollback()
        # Render the page as if signed out: looking up the user would need the database.
        g._login_user = login_manager.anonymous_user()
        return render_error(503)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str, int]:
        db.session.rollback()
        return render_error(500)
