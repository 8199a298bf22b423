"""Error pages in the page's language, and 503 when the database is unavailable."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from wizard.domain.academic_year import year_label
from wizard.render.pdf import RenderBusy
from wizard.services.offered import PlanNotOffered
from wizard.services.transactions import PlanLocked, rollback
from wizard.web.extensions import limiter, login_manager
from wizard.web.forms import PASSWORD_FIELD_NAMES
from wizard.web.text import gettext as _

HANDLED = (400, 403, 404, 405, 409, 413, 429, 500, 503)
# Where a 429 protects accounts (guesses of a password), rather than the service.
ACCOUNT_ENDPOINTS = ("auth.sign_in", "account.password")


# Fields of our forms that say which version the user saw, not what they typed.
NOT_TYPED = ("revision", "version")


def _is_password(name: str) -> bool:
    return name in PASSWORD_FIELD_NAMES or "password" in name.lower()


def _typed_answers() -> tuple[list[tuple[str, str]], bool] | None:
    """What a failed POST sent (its fields, in order) and whether a password was left out of
    them (a password is never written into a page), or None when it was not a form."""
    if request.method != "POST" or request.mimetype not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return None
    try:
        sent = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"]
    except Exception:  # noqa: BLE001 - a body we cannot read has nothing to give back
        return None
    fields = [(name, value) for name, value in sent if not _is_password(name)]
    left_out = len(fields) < len(sent)
    return (fields, left_out) if sent else None


def _signed_in_or_not() -> None:
    """Look up the signed-in user now, for the page's header: when the database cannot be
    reached the error page is shown as if signed out, with its own status (an error page never
    needs the database)."""
    try:
        current_user.is_authenticated  # noqa: B018 - loads the user through Flask-Login
    except DBAPIError:
        current_app.logger.warning("Database unavailable: the error page is shown signed out")
        rollback()
        g._login_user = login_manager.anonymous_user()


def render_error(status: int, **context: object) -> tuple[str, int]:
    _signed_in_or_not()
    return render_template("errors/error.html", status=status, **context), status


def _seconds_to_wait() -> int | None:
    """How long the refused request must wait: what sign-in throttling said (g.retry_after), or
    when the rate limit that refused it lets the next request through."""
    said = g.get("retry_after")
    if isinstance(said, int):
        return max(1, said)
    limit = limiter.current_limit
    if limit is None or not limit.breached:
        return None
    return max(1, int(limit.reset_at - clock.time()))


def _http_error_page(status: int) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    if status == 429 and request.path.endswith(".pdf"):
        # PDFs have their own limits (per user, per share link), counted by the minute.
        page, _status = render_error(429, pdf=True)
        return page, 429, {"Retry-After": "60"}
    if status == 429:
        # Each limit has its own window (a minute for shared plans, an hour for resets, a day
        # for invitations, a doubling wait for sign-in): the page says when this one ends.
        wait = _seconds_to_wait()
        retry_at = datetime.now(UTC) + timedelta(seconds=wait) if wait else None
        page, _status = render_error(
            429, retry_at=retry_at, accounts=request.endpoint in ACCOUNT_ENDPOINTS
        )
        return page, 429, ({"Retry-After": str(wait)} if wait else {})
    if status == 404 and request.blueprint == "shared":
        # A share link that is revoked, expired or was never made: the same words for each
        # (saying which would tell a guesser that a token existed).
        return render_error(404, share_link=True)
    return render_error(status)


def _plan_not_offered(error: PlanNotOffered) -> ResponseReturnValue:
    """Next year's plan, reached by a step, the board or the funding plan before it may be
    started: nothing was made. Back to the year's task list, saying why."""
    rollback()
    flash(
        _(
            "Your plan for %(year)s cannot be started yet. You can start it once your plan"
            " for %(before)s is submitted.",
            year=year_label(error.academic_year),
            before=year_label(error.academic_year - 1),
        ),
        "important",
    )
    year = (request.view_args or {}).get("year")
    target = url_for("plan.hub", year=year) if year else url_for("plan.index")
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(400, csrf=True)

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> tuple[str, int, dict[str, str]]:
        # No URL can be built for a host we do not serve, so not even our error page.
        text = "Bad request: this address is not served here.\nCais gwael: nid yw'r cyfeiriad hwn yn cael ei wasanaethu yma.\n"
        return text, 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(
        error: HTTPException,
    ) -> tuple[str, int] | tuple[str, int, dict[str, str]] | HTTPException:
        status = error.code or 500
        if status not in HANDLED:
            return error
        return _http_error_page(status)

    @app.errorhandler(RenderBusy)
    def render_busy(error: RenderBusy) -> tuple[str, int, dict[str, str]]:
        """Every PDF render slot is taken: a moment later one will be free."""
        page, _status = render_error(503, busy=True)
        return page, 503, {"Retry-After": "10"}

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error: Exception) -> tuple[str, int]:
        # Nothing half-saved: whatever this request had started is rolled back.
        app.logger.exception("Database error")
        rollback()
        # Render the page as if signed out: looking up the user would need the database.
        g._login_user = login_manager.anonymous_user()
        answers = _typed_answers()
        if answers is None:
            return render_error(503)
        # A save that failed: give back what was typed (never a password), in a form that
        # sends it again.
        typed, passwords_left_out = answers
        page = render_template(
            "errors/error.html",
            status=503,
            typed=typed,
            passwords_left_out=passwords_left_out,
            shown=[value for name, value in typed if value.strip() and name not in NOT_TYPED],
            retry_url=request.full_path.rstrip("?"),
        )
        return page, 503

    @app.errorhandler(DataError)
    def bad_data(error: DataError) -> tuple[str, int]:
        # A value the database cannot hold (input checks should have caught it first): the
        # request was bad, the database is fine.
        app.logger.warning("Value refused by the database: %s", error.orig)
        rollback()
        return render_error(400)

    @app.errorhandler(PlanLocked)
    def plan_locked(error: PlanLocked) -> ResponseReturnValue:
        """A write reached a plan that was submitted meanwhile: nothing was written."""
        rollback()
        flash(_("This plan has been submitted, so its answers cannot be changed."), "important")
        year = (request.view_args or {}).get("year")
        target = url_for("plan.hub", year=year) if year else url_for("plan.index")
        if request.headers.get("HX-Request"):
            return "", 204, {"HX-Redirect": target}
        return redirect(target)

    app.register_error_handler(PlanNotOffered, _plan_not_offered)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str, int]:
        rollback()
        return render_error(500)
