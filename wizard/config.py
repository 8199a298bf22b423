"""Configuration read from the environment, with safe defaults for development."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wizard.domain.next_year import DEFAULT_OPENS, parse_opens

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when the app cannot start safely with the configuration it was given."""


def _instance_secret(instance_path: Path) -> str:
    """Return the development secret key, generating and keeping it on first use.

    Keeping it in the instance folder means sign-ins survive a restart of `make run`.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    """A retention period in whole days (at least one) from the environment."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of days, at least 1.")
    return int(raw)


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration mapping from defaults, the environment and test overrides."""
    overrides = dict(overrides or {})
    env = os.environ
    production = env.get("WIZARD_ENV", "development") == "production" and not overrides.get(
        "TESTING"
    )
    secret_key = _secret_key(env, overrides, instance_path, production)
    base_url, trusted_hosts = _base_url_and_hosts(env, production)
    config: dict[str, Any] = {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _database_url(env, instance_path),
        **_web(env, production),
        **_mail(env),
        **_accounts(),
        **_hwb(env, production),
        **_limits(env),
        **_proxies(env),
        **_privacy_notice(env),
        **_retention(env),
        **_next_year(env),
        **_reminders(env),
        # Every link in an email starts with this, never with what a request says its host is.
        "BASE_URL": base_url,
        # In production, requests for any other host are refused (400), except the health
        # checks (security.HostCheck; not Flask's TRUSTED_HOSTS, which compares case).
        "ALLOWED_HOSTS": trusted_hosts if production else None,
    }
    config.update(overrides)
    # Whatever else the engine is given: hide_parameters, so that a statement's values (emails,
    # password hashes) never appear in a database error's message, a log or a traceback.
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "hide_parameters": True,
    }
    return config


def _secret_key(
    env: Mapping[str, str], overrides: Mapping[str, Any], instance_path: Path, production: bool
) -> str:
    secret_key = env.get("SECRET_KEY") or overrides.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY must be set when WIZARD_ENV=production.")
        secret_key = _instance_secret(instance_path)
    return str(secret_key)


def _base_url_and_hosts(env: Mapping[str, str], production: bool) -> tuple[str, list[str]]:
    """The service's own address, and the host names it answers to (by default, the address's)."""
    base_url = (env.get("WIZARD_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    hosts = env.get("WIZARD_TRUSTED_HOSTS") or urlsplit(base_url).hostname or ""
    trusted_hosts = [host.strip() for host in hosts.split(",") if host.strip()]
    if production and not base_url.startswith("https://"):
        raise ConfigError("WIZARD_BASE_URL must be an https:// address when WIZARD_ENV=production.")
    return base_url, trusted_hosts


def _database_url(env: Mapping[str, str], instance_path: Path) -> str:
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'wizard.sqlite3'}"
    # Heroku-style URLs name the old driver; psycopg 3 is what we ship.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    return database_url


def _web(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """The engine, templates, static files, cookies, forms and languages."""
    return {
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PRODUCTION": production,
        # Templates are never reloaded in production (Flask's default follows debug mode).
        "TEMPLATES_AUTO_RELOAD": False if production else None,
        # GOV.UK widgets and the layouts' components rendered once per distinct params and kept
        # (wizard/web/render_cache.py); WIZARD_RENDER_CACHE=off renders them every time, with
        # the same bytes. RENDER_CACHE_SIZE entries per worker process.
        "RENDER_CACHE": env.get("WIZARD_RENDER_CACHE", "on").strip().lower() != "off",
        "RENDER_CACHE_SIZE": 1024,
        # The reporting pages' figures (charts and tables, tens of kilobytes each), kept per
        # distinct figures and language: this many per worker process.
        "RENDER_CACHE_FRAGMENTS": 64,
        # The fingerprinted, precompressed static files (`flask build-static`; see
        # wizard/web/assets.py).
        "STATIC_BUILD_DIR": env.get("WIZARD_STATIC_BUILD") or str(ROOT / "build" / "static"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 8,
        # 1 MB is far more than any form of ours needs.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # The administrators' uploads (the published list of schools, a file of clusters).
        "IMPORT_MAX_BYTES": 4 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 512 * 1024,
        # Fields in one form, URL-encoded (checked in security.py) or multipart (Werkzeug): our
        # largest, the Diamond 9 arranged without JavaScript, has about one per card.
        "MAX_FORM_PARTS": 200,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
    }


def _mail(env: Mapping[str, str]) -> dict[str, Any]:
    """The mail server, the queue and its retries, and how long emailed links last."""
    return {
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_FROM": env.get("MAIL_FROM", "no-reply@pl-planner.example"),
        # The mail queue (RQ) is in Redis when REDIS_URL is set; otherwise emails are sent by
        # the request, after its commit.
        "MAIL_QUEUE_URL": env.get("REDIS_URL", ""),
        # The queue's name carries WIZARD_REDIS_PREFIX too, as the jobs' ids do (services/outbox.py).
        "MAIL_QUEUE_NAME": env.get("WIZARD_MAIL_QUEUE")
        or "-".join(filter(None, [env.get("WIZARD_REDIS_PREFIX", ""), "mail"])),
        # Seconds between the retries of an email the mail server refused (RQ Retry).
        "MAIL_RETRY_INTERVALS": [30, 120, 600, 1800, 3600],
        # How long one sender holds an email before another may take it.
        "MAIL_CLAIM_SECONDS": 300,
        # An email whose every retry failed is queued again by the sweep after this long.
        "MAIL_FAILED_AGAIN_AFTER": 1800,
        "PASSWORD_RESET_HOURS": 2,
        "INVITATION_DAYS": 14,
    }


def _accounts() -> dict[str, Any]:
    """Password hashing, sign-in throttling and how long a sign-in lasts."""
    return {
        # Argon2id cost; tests lower it so that the suite stays quick.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 64 * 1024,
        # Sign-in throttling (docs/decisions/0002-sign-in-throttling.md), by account and
        # device for a browser that has signed in before, by account for any other: a few free
        # failures, then a wait that doubles with each failure (up to the window); and a
        # generous ceiling per address on browsers without a device cookie.
        "SIGN_IN_WINDOW_SECONDS": 15 * 60,
        "SIGN_IN_FREE_FAILURES": 5,
        "SIGN_IN_FIRST_DELAY_SECONDS": 15,
        "SIGN_IN_MAX_FAILURES_PER_ADDRESS": 300,
        # How long a browser that has signed in keeps its own allowance (its device cookie).
        "SIGN_IN_DEVICE_COOKIE_DAYS": 365,
        # A sign-in lasts at most this long, however active (PERMANENT_SESSION_LIFETIME is
        # the cookie's own lifetime).
        "SESSION_ABSOLUTE_SECONDS": 60 * 60 * 12,
        # ...and ends after this long without a request (each request, and "Stay signed in" in
        # the timeout warning, starts the wait again). With JavaScript, the warning opens this
        # long before the end (the GOV.UK timeout warning pattern).
        "SESSION_IDLE_SECONDS": 60 * 60,
        "SESSION_WARNING_SECONDS": 5 * 60,
    }


def _hwb(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """Sign in with Hwb (OpenID Connect; docs/hwb.md) and whether passwords are offered at all.

    WIZARD_OIDC_DEV_PROVIDER=1 says the issuer is the local development stand-in
    (scripts/dev_identity_provider.py): the pages say so, and production refuses to start."""
    issuer = (env.get("WIZARD_OIDC_ISSUER") or "").strip().rstrip("/")
    dev_provider = env.get("WIZARD_OIDC_DEV_PROVIDER", "").strip().lower() in ("1", "true", "on")
    if production and dev_provider:
        raise ConfigError(
            "WIZARD_OIDC_DEV_PROVIDER is the development stand-in for Hwb: it cannot be used "
            "when WIZARD_ENV=production."
        )
    if production and issuer and not issuer.startswith("https://"):
        raise ConfigError("WIZARD_OIDC_ISSUER must be an https:// address in production.")
    password = (env.get("WIZARD_PASSWORD_SIGN_IN") or "on").strip().lower()
    if password not in ("on", "off"):
        raise ConfigError("WIZARD_PASSWORD_SIGN_IN must be on or off.")
    tenants = [t.strip() for t in (env.get("WIZARD_OIDC_TENANTS") or "").split(",") if t.strip()]
    return {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": (env.get("WIZARD_OIDC_CLIENT_ID") or "").strip(),
        "OIDC_CLIENT_SECRET": env.get("WIZARD_OIDC_CLIENT_SECRET") or "",
        "OIDC_TENANTS": tenants,
        "OIDC_DEV_PROVIDER": dev_provider,
        # Seconds of clock difference allowed on exp and iat; how long discovery is cached.
        "OIDC_LEEWAY_SECONDS": 120,
        "OIDC_METADATA_SECONDS": 3600,
        "OIDC_TIMEOUT_SECONDS": 10,
        "PASSWORD_SIGN_IN": password == "on",
        # Asking to join a school: requests per address an hour, and pending per identity.
        "JOIN_REQUESTS_PER_ADDRESS": "10 per hour",
        # Answers at /hwb/callback that are refused (each is audited), per address; answers
        # that sign someone in do not count (a school's staff may share one address).
        "HWB_REFUSED_CALLBACKS_PER_ADDRESS": "30 per 10 minutes",
    }


def _limits(env: Mapping[str, str]) -> dict[str, Any]:
    """Rate limits, what one school can create, PDF renders and staff voice responses."""
    return {
        # Password reset emails: a few per account per hour (more are dropped without
        # saying so), and a limit per address on asking.
        "RESETS_PER_ACCOUNT_PER_HOUR": 3,
        "RESET_REQUESTS_PER_ADDRESS": "20 per hour",
        "INVITATIONS_PER_LEAD": "30 per day",
        # Shared plans (read through a share link, without signing in), per address.
        "SHARED_PLAN_REQUESTS_PER_ADDRESS": "60 per minute",
        # What one school can create: its own Diamond 9 cards (per plan), share links not
        # revoked (per plan), and comments with replies (per submitted version).
        "OWN_CARDS_PER_PLAN": 30,
        "SHARE_LINKS_PER_PLAN": 20,
        "COMMENTS_PER_VERSION": 200,
        # PDFs: each signed-in user's (all their PDFs together), and each share link's.
        "PDF_REQUESTS_PER_USER": "20 per minute; 300 per day",
        "PDF_REQUESTS_PER_SHARE_LINK": "20 per minute; 300 per day",
        # Renders at once in each process, and over every process and machine (PostgreSQL
        # advisory locks); a submitted version's PDF is rendered once and kept in PDF_CACHE_DIR
        # (by default instance/pdf-cache).
        "PDF_RENDERS_PER_PROCESS": 2,
        "PDF_RENDERS_AT_ONCE": int(env.get("WIZARD_PDF_RENDERS_AT_ONCE", "4") or 4),
        "PDF_CACHE_DIR": env.get("WIZARD_PDF_CACHE_DIR", ""),
        # Staff voice responses (through the round's link, without signing in), per address:
        # a whole staff room may share one address, so this is generous.
        "STAFF_VOICE_REQUESTS_PER_ADDRESS": "300 per minute",
        # New staff voice responses (not changes to one): at most this many per round (more than
        # any school's staff), and per address in each round (schools may share an address), so
        # that one person cannot stuff a round.
        "STAFF_VOICE_RESPONSES_PER_ROUND": 300,
        "STAFF_VOICE_NEW_RESPONSES_PER_ADDRESS": "60 per hour",
        # A responder's sitting: after this long without a page of their response, a shared
        # browser asks again whether it is the same person before showing their answers.
        "STAFF_VOICE_SITTING_SECONDS": 30 * 60,
        # Rate limits (Flask-Limiter): shared through Redis when REDIS_URL is set, else kept
        # in each process's memory.
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        # While Redis is away the limits are counted in each process's memory (Flask-Limiter's
        # in-memory fallback; it logs the outage once and goes back to Redis when it answers),
        # and no request waits long for an address that does not answer.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "RATELIMIT_HEADERS_ENABLED": False,
        # Where in a shared Redis this service's counters live.
        "RATELIMIT_KEY_PREFIX": env.get("WIZARD_REDIS_PREFIX", ""),
    }


def _proxies(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        # Behind a reverse proxy, how many proxies' X-Forwarded-For and -Proto to trust.
        "TRUSTED_PROXIES": int(env.get("WIZARD_TRUSTED_PROXIES", "0") or 0),
        # ...and only from these peers (addresses or CIDR blocks, comma-separated): a request
        # from anywhere else keeps its own address, whatever X-Forwarded-For says. gunicorn's
        # FORWARDED_ALLOW_IPS defaults to the same list (gunicorn.conf.py).
        "TRUSTED_PROXY_ADDRESSES": env.get("WIZARD_TRUSTED_PROXY_ADDRESSES") or "127.0.0.1",
    }


def _privacy_notice(env: Mapping[str, str]) -> dict[str, Any]:
    """Who is responsible for the personal data, and who processes it."""
    return {
        # Who is responsible for the personal data (the privacy notice and the accessibility
        # statement show these; empty means not configured, and the pages say so).
        "CONTROLLER_NAME": env.get("WIZARD_CONTROLLER_NAME", "").strip(),
        "CONTROLLER_ADDRESS": env.get("WIZARD_CONTROLLER_ADDRESS", "").strip(),
        "CONTROLLER_EMAIL": env.get("WIZARD_CONTROLLER_EMAIL", "").strip(),
        "DPO_EMAIL": env.get("WIZARD_DPO_EMAIL", "").strip(),
        "ACCESSIBILITY_EMAIL": (
            env.get("WIZARD_ACCESSIBILITY_EMAIL") or env.get("WIZARD_CONTROLLER_EMAIL") or ""
        ).strip(),
        # The processors named in the privacy notice: who hosts the service, who sends its
        # emails (MAIL_SERVER when no name is given).
        "HOSTING_PROVIDER": env.get("WIZARD_HOSTING_PROVIDER", "").strip(),
        "MAIL_PROVIDER": (env.get("WIZARD_MAIL_PROVIDER") or env.get("MAIL_SERVER") or "").strip(),
        # How long the web server's request log is kept (gunicorn's access log, wherever the
        # operator sends it): the service does not delete it, so the notice says what is set here.
        "REQUEST_LOG_RETENTION": env.get("WIZARD_REQUEST_LOG_RETENTION", "").strip(),
    }


def _reminders(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        # Schools that have not submitted by a cluster's deadline are emailed this many days
        # before it, and on the day (`flask send-reminders`, and `make worker` every
        # REMINDER_SWEEP_SECONDS).
        "REMINDER_DAYS_BEFORE": _days(env, "WIZARD_REMINDER_DAYS_BEFORE", 7),
        "REMINDER_SWEEP_SECONDS": 60 * 60,
    }


def _retention(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        # Retention, in days: the retention sweep (`flask purge-expired`, and `make worker`
        # every RETENTION_SWEEP_SECONDS) deletes what is older, and the privacy notice says so.
        # Sign-in records: ended or expired sessions, and sign-in attempts.
        "RETENTION_SESSION_DAYS": _days(env, "RETENTION_SESSION_DAYS", 30),
        "RETENTION_SIGN_IN_ATTEMPTS_DAYS": _days(env, "RETENTION_SIGN_IN_ATTEMPTS_DAYS", 30),
        # The audit trail's records of signing in and out, of passwords and of invitations (with
        # the address they came from, or whom they invited); a plan's history stays with it.
        "RETENTION_ACCOUNT_EVENTS_DAYS": _days(env, "RETENTION_ACCOUNT_EVENTS_DAYS", 90),
        # Emails, once sent.
        "RETENTION_SENT_EMAIL_DAYS": _days(env, "RETENTION_SENT_EMAIL_DAYS", 30),
        # Password reset links and invitations, after they expire.
        "RETENTION_EXPIRED_TOKEN_DAYS": _days(env, "RETENTION_EXPIRED_TOKEN_DAYS", 7),
        "RETENTION_SWEEP_SECONDS": 60 * 60,
    }


def _next_year(env: Mapping[str, str]) -> dict[str, Any]:
    """From which day ("MM-DD", in the academic year before) a school may start next year's
    plan before this year's is submitted (it may always once this year's is)."""
    raw = env.get("WIZARD_NEXT_YEAR_FROM", "").strip()
    if not raw:
        return {"NEXT_YEAR_FROM": DEFAULT_OPENS}
    opens = parse_opens(raw)
    if opens is None:
        raise ConfigError("WIZARD_NEXT_YEAR_FROM must be a month and day, MM-DD (06-01).")
    return {"NEXT_YEAR_FROM": opens}
