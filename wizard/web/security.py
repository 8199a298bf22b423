"""What keeps requests and responses safe: security headers (CSP without inline script and
friends), the real client address behind proxies, bounded ids in URLs, query strings without
control characters, tokens kept out of logs, and a database file only its owner can read."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, abort, g, request
from flask_wtf.csrf import generate_csrf
from sqlalchemy.engine import make_url
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.sansio.utils import host_is_trusted

from wizard.domain.inputs import MAX_ID, has_unsafe_characters
from wizard.domain.redaction import without_link_tokens
from wizard.services.outbox import DEV_MAIL_LOGGER

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in our URLs: ASCII digits only, never more than the database holds (so an
    id out of range is simply not found)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


# What a database's own error message quotes of a row (PostgreSQL's DETAIL lines): the values
# of a unique key, or the whole failing row (emails, password hashes).
_DATABASE_DETAIL = (
    (re.compile(r"(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)"), r"\1=([hidden])"),
    (re.compile(r"(Failing row contains) \(.*\)"), r"\1 ([hidden])"),
)


def is_utf8_form(body: bytes) -> bool:
    """Whether every name and value of a URL-encoded form body is UTF-8, raw or percent-encoded.

    (Werkzeug keeps bytes it cannot decode as "%FF" text, or drops the field: either way what
    the person sent is not what would be saved, so the form is refused as a whole.)"""
    try:
        for part in body.split(b"&"):
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def redact_tokens(text: str) -> str:
    """The text without the tokens of any links in it, nor the values a database error
    quotes."""
    text = without_link_tokens(text)
    for pattern, replacement in _DATABASE_DETAIL:
        text = pattern.sub(replacement, text)
    return text


def _keeps_tokens(name: str) -> bool:
    """Only the development mail transport's log (no MAIL_SERVER: each email is written to the
    log so that a developer can follow its links) shows links whole, outside production."""
    if name != DEV_MAIL_LOGGER:
        return False
    from flask import current_app, has_app_context

    return has_app_context() and not current_app.config.get("PRODUCTION")


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record without tokens: its message, its traceback and its stack. The traceback is
    formatted here once (`exc_text`, which every `logging.Formatter` then prints as it is)."""
    if _keeps_tokens(record.name):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a bad format: the handler reports it, with the raw text redacted
        message = None
        record.msg = redact_tokens(str(record.msg))
    if message is not None:
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_tokens(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact_tokens(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_tokens(record.stack_info)
    return record


class RedactTokens(logging.Filter):
    """A filter for a handler or logger of one's own (the record factory below already covers
    every record made in this process)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


class _RedactingFactory:
    """The process's log record factory, wrapped: every record of every logger (the dev
    server's, gunicorn's access and error logs, Flask's, SQLAlchemy's, the root logger's)
    is made without tokens, before any handler or filter sees it."""

    def __init__(self, made_by: Any) -> None:
        self.made_by = made_by

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.made_by(*args, **kwargs)
        return redact_record(record)


def redact_every_log_record() -> None:
    """Install the redacting record factory (once per process)."""
    if not isinstance(logging.getLogRecordFactory(), _RedactingFactory):
        logging.setLogRecordFactory(_RedactingFactory(logging.getLogRecordFactory()))


def protect_database_file(database_uri: str) -> None:
    """Create the SQLite file readable and writable by its owner only (0600)."""
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def proxy_networks(addresses: str | Iterable[str]) -> list[Network]:
    """The networks of WIZARD_TRUSTED_PROXY_ADDRESSES: addresses or CIDR blocks, separated by
    commas. A value that is neither stops the app from starting (ValueError)."""
    items = addresses.split(",") if isinstance(addresses, str) else list(addresses)
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


class TrustedProxyFix:
    """Werkzeug's ProxyFix, applied only when the immediate peer (REMOTE_ADDR) is one of the
    configured proxies. ProxyFix on its own believes X-Forwarded-For from anyone, so a client
    that reached the app directly could choose the address that throttling records."""

    def __init__(self, app: WSGIApplication, networks: list[Network], hops: int) -> None:
        self.app = app
        self.networks = networks
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)

    def is_trusted(self, peer: str | None) -> bool:
        try:
            address = ipaddress.ip_address((peer or "").strip())
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


# What a balancer or an orchestrator asks, with no Host or with the backend's own address.
HEALTH_CHECKS = frozenset({"/healthz", "/readyz"})
UNSERVED_HOST = (
    b"Bad request: this address is not served here.\n"
    b"Cais gwael: nid yw'r cyfeiriad hwn yn cael ei wasanaethu yma.\n"
)


class HostCheck:
    """Refuse (400) a request whose Host is not one this service serves, ignoring case (host
    names are case-insensitive), before the app sees it; the health checks are answered
    whatever the Host. (Flask's own TRUSTED_HOSTS check compares case and spares nothing.)"""

    def __init__(self, app: WSGIApplication, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = [host.lower() for host in hosts]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in HEALTH_CHECKS:
            return self.app(environ, start_response)
        host = str(environ.get("HTTP_HOST") or "").lower()
        if not host_is_trusted(host, self.hosts):
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(UNSERVED_HOST))),
                ],
            )
            return [UNSERVED_HOST]
        environ["HTTP_HOST"] = host
        return self.app(environ, start_response)


def check_hosts(app: Flask) -> None:
    """In production (ALLOWED_HOSTS set), only our own host names are served."""
    hosts = app.config.get("ALLOWED_HOSTS")
    if hosts:
        app.wsgi_app = HostCheck(app.wsgi_app, hosts)  # type: ignore[method-assign]


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from
    their X-Forwarded-For and X-Forwarded-Proto (never more hops than configured), and only
    when the request comes from one of TRUSTED_PROXY_ADDRESSES."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        addresses = app.config.get("TRUSTED_PROXY_ADDRESSES") or "127.0.0.1"
        try:
            networks = proxy_networks(addresses)
        except ValueError as error:
            raise ValueError(f"WIZARD_TRUSTED_PROXY_ADDRESSES is not valid: {error}") from error
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, networks, hops)  # type: ignore[method-assign]


def _hide_server_version() -> None:
    """The development server says "Werkzeug/x Python/y" in its Server header: say less."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = lambda self: "planner"  # type: ignore[method-assign]


def _csrf_token() -> str:
    """The request's CSRF token for templates: signed once per request by Flask-WTF and then
    read from `g`. (Flask-WTF's own `csrf_token` global also caches it, but looks its settings
    up again on each of the many calls a board makes, one per card form.)"""
    token = g.get("csrf_token")
    return token if isinstance(token, str) else generate_csrf()


# The endpoints that take an uploaded file (views/admin.py).
LARGER_UPLOADS = frozenset({"admin.import_schools", "admin.import_clusters"})


def init_app(app: Flask) -> None:
    _hide_server_version()
    app.jinja_env.globals["csrf_token"] = _csrf_token
    redact_every_log_record()

    def refuse_forms_not_in_utf8() -> None:
        """A form that is not UTF-8 is a bad request, and one with more fields than any of our
        forms has is refused before it is parsed (Werkzeug counts the fields of multipart forms
        only). This runs before anything reads the form (the CSRF check does), because only the
        raw body says what was sent."""
        if request.mimetype != "application/x-www-form-urlencoded":
            return
        body = request.get_data(cache=True)  # read once: the form is then parsed from this copy
        if body.count(b"&") >= app.config["MAX_FORM_PARTS"]:
            g.too_many_fields = app.config["MAX_FORM_PARTS"]
            abort(413)
        if not is_utf8_form(body):
            abort(400)

    app.before_request_funcs.setdefault(None, []).insert(0, refuse_forms_not_in_utf8)

    def allow_larger_uploads() -> None:
        """The administrators' imports take files larger than any form (IMPORT_MAX_BYTES);
        set before anything reads the body."""
        if request.endpoint in LARGER_UPLOADS:
            request.max_content_length = app.config["IMPORT_MAX_BYTES"]

    app.before_request_funcs[None].insert(0, allow_larger_uploads)

    @app.before_request
    def refuse_unsafe_query_strings() -> None:
        """Query strings and form field names are never shown back with an error message, so
        a control character in one is simply a bad request."""
        names = [*request.args.keys(), *request.form.keys()]
        values = [value for _, value in request.args.items(multi=True)]
        if any(has_unsafe_characters(text) for text in [*names, *values]):
            abort(400)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["PRODUCTION"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages show live data: the back button must never show a stale copy.
            headers.setdefault("Cache-Control", "no-store")
        return response
