"""The professional learning planner: a Flask application factory."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request, session
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import (
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)

from wizard import cli
from wizard.config import ROOT, load_config
from wizard.data.accounts import SESSION_SEEN_KEY, SESSION_TOKEN_KEY, user_of_session
from wizard.data.database import db, end_requests_quietly, migrate
from wizard.data.models import User
from wizard.domain.inputs import parse_whole_number
from wizard.web import assets, errors, filters, i18n, render_cache, security
from wizard.web.extensions import babel, csrf, htmx, limiter, login_manager
from wizard.web.security import BoundedIntConverter

# Requests a page makes by itself (the open board's poll every 15 seconds): they are not the
# user's activity, so they never restart the idle clock.
BACKGROUND_ENDPOINTS = frozenset({"diamond.board_version_notice"})


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure an instance of the app."""
    instance_path = os.environ.get("WIZARD_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config(Path(app.instance_path), dict(test_config or {})))
    # Before any route is added: ids in URLs are ASCII digits that fit the database.
    app.url_map.converters["int"] = BoundedIntConverter
    security.protect_database_file(app.config["SQLALCHEMY_DATABASE_URI"])

    # Our templates first, then the GOV.UK macros under their package names.
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # Must match `trimmed = true` in babel.cfg so that extracted msgids match at runtime.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # Before any template is loaded: the cheaper `indent` and imports, and the kept components.
    render_cache.init_app(app)
    if app.config["PRODUCTION"]:
        # Compiled templates kept between restarts, so a new worker starts answering sooner.
        cache = Path(app.instance_path) / "jinja-cache"
        cache.mkdir(parents=True, exist_ok=True)
        app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(cache))

    db.init_app(app)
    end_requests_quietly(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "basic"
    WTFormsHelpers(app)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The user of a live server-side session (see accounts.start_session)."""
        identifier, _, version = user_id.partition(":")
        number = parse_whole_number(identifier)
        session_version = parse_whole_number(version)
        token = session.get(SESSION_TOKEN_KEY)
        if number is None or session_version is None or not isinstance(token, str):
            return None
        # The idle timeout: a session unused for SESSION_IDLE_SECONDS is over (whole seconds, so a
        # page that reloads when its timer says the time is up always finds it over).
        now = int(time.time())
        seen = session.get(SESSION_SEEN_KEY)
        if not isinstance(seen, int) or now - seen >= current_app.config["SESSION_IDLE_SECONDS"]:
            return None
        user = user_of_session(number, session_version, token)
        if user is not None and seen != now and request.endpoint not in BACKGROUND_ENDPOINTS:
            session[SESSION_SEEN_KEY] = now
        return user

    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    assets.init_app(app)
    cli.init_app(app)
    security.trust_proxies(app)
    security.check_hosts(app)

    from wizard.web.views import (
        account,
        admin,
        auth,
        clusters,
        compare,
        coordinator,
        diamond,
        exports,
        feedback,
        funding,
        history,
        hwb,
        national,
        next_year,
        plan,
        progress,
        public,
        sharing,
        staff_voice,
        submission,
        summary,
        team,
        versions,
        year_end,
    )

    app.register_blueprint(public.root)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(hwb.bp)
    app.register_blueprint(hwb.callback_bp)
    app.register_blueprint(team.bp)
    app.register_blueprint(plan.bp)
    app.register_blueprint(diamond.bp)
    app.register_blueprint(funding.bp)
    app.register_blueprint(summary.bp)
    app.register_blueprint(versions.bp)
    app.register_blueprint(submission.bp)
    app.register_blueprint(next_year.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(clusters.bp)
    app.register_blueprint(national.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(coordinator.bp)
    app.register_blueprint(feedback.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(sharing.bp)
    app.register_blueprint(sharing.shared)
    app.register_blueprint(staff_voice.bp)
    app.register_blueprint(staff_voice.respond)
    app.register_blueprint(admin.bp)
    app.register_blueprint(progress.bp)
    app.register_blueprint(year_end.bp)
    app.register_blueprint(year_end.coordinator_bp)
    app.register_blueprint(year_end.reports_bp)
    return app
