"""Pages anyone may see: the start page, the footer pages, and the health checks."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from wizard.domain import framework, guidance
from wizard.services.accounts import database_ready
from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX, preferred_language
from wizard.web.views import home_url

root = Blueprint("root", __name__)
bp = Blueprint("public", __name__, url_prefix=LANG_PREFIX)


@root.get("/")
@allow(Access.PUBLIC)
def index() -> ResponseReturnValue:
    """Send people to the start page in their language."""
    response = redirect(url_for("public.start", lang=preferred_language()))
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@root.get("/healthz")
@allow(Access.PUBLIC)
def healthz() -> ResponseReturnValue:
    """Report that the process is up."""
    return Response("ok\n", mimetype="text/plain")


@root.get("/readyz")
@allow(Access.PUBLIC)
def readyz() -> ResponseReturnValue:
    """Report whether the database can be reached."""
    if not database_ready():
        return Response("database unavailable\n", status=503, mimetype="text/plain")
    return Response("ok\n", mimetype="text/plain")


@bp.get("/")
@allow(Access.PUBLIC)
def start() -> ResponseReturnValue:
    """Show the start page, or take a signed-in user to their work."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    return render_template("public/start.html")


@bp.get("/accessibility")
@allow(Access.PUBLIC)
def accessibility() -> ResponseReturnValue:
    """Show the accessibility statement."""
    return render_template(
        "public/accessibility.html", contact_email=current_app.config["ACCESSIBILITY_EMAIL"]
    )


@bp.get("/help")
@allow(Access.PUBLIC)
def help_page() -> ResponseReturnValue:
    """How to use the service, and help with each element and hallmark (every page links here)."""
    return render_template(
        "public/help.html",
        contexts=[(c, framework.elements_of(c.key)) for c in framework.CONTEXTS],
        hallmarks=framework.HALLMARKS,
        element_help=guidance.ELEMENTS,
        hallmark_help=guidance.HALLMARKS,
    )


@bp.get("/privacy")
@allow(Access.PUBLIC)
def privacy() -> ResponseReturnValue:
    """Show the privacy notice: who is responsible, from the configuration, and the retention
    periods the retention sweep uses (retention.py in the data layer)."""
    return render_template("public/privacy.html", **_privacy_details())


# The settings behind each detail of the privacy notice (shown when one is not set).
PRIVACY_SETTINGS = {
    "controller_name": ("CONTROLLER_NAME", "WIZARD_CONTROLLER_NAME"),
    "controller_address": ("CONTROLLER_ADDRESS", "WIZARD_CONTROLLER_ADDRESS"),
    "controller_email": ("CONTROLLER_EMAIL", "WIZARD_CONTROLLER_EMAIL"),
    "dpo_email": ("DPO_EMAIL", "WIZARD_DPO_EMAIL"),
    "hosting_provider": ("HOSTING_PROVIDER", "WIZARD_HOSTING_PROVIDER"),
    "mail_provider": ("MAIL_PROVIDER", "WIZARD_MAIL_PROVIDER"),
    "request_log_retention": ("REQUEST_LOG_RETENTION", "WIZARD_REQUEST_LOG_RETENTION"),
}


def _privacy_details() -> dict[str, Any]:
    config = current_app.config
    details: dict[str, Any] = {
        name: {"value": config[key], "setting": variable}
        for name, (key, variable) in PRIVACY_SETTINGS.items()
    }
    details["retention"] = {
        key.removeprefix("RETENTION_").removesuffix("_DAYS").lower(): int(config[key])
        for key in (
            "RETENTION_SESSION_DAYS",
            "RETENTION_SIGN_IN_ATTEMPTS_DAYS",
            "RETENTION_ACCOUNT_EVENTS_DAYS",
            "RETENTION_SENT_EMAIL_DAYS",
            "RETENTION_EXPIRED_TOKEN_DAYS",
        )
    }
    return details


@bp.get("/cookies")
@allow(Access.PUBLIC)
def cookies() -> ResponseReturnValue:
    """Show what cookies the service sets."""
    return render_template("public/cookies.html")
