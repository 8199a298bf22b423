"""Secrets never reach a log: the tokens of reset, invitation, share and staff voice links are
redacted by every logger (the development server's, gunicorn's access and error logs, Flask's,
the root logger's, any other), in paths, query strings, Referers, messages and tracebacks; and
a database error never quotes a statement's values (emails, password hashes)."""

from __future__ import annotations

import io
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wizard.data.accounts import hash_password
from wizard.data.database import db
from wizard.data.models import User
from wizard.web.security import RedactTokens

ROOT = Path(__file__).resolve().parents[2]
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "wizard", "", "sqlalchemy.engine", "x")


def token() -> str:
    return "SECRET" + secrets.token_urlsafe(32)


def token_paths(app: Flask) -> list[tuple[str, str]]:
    """Every route of the URL map with a token in it, as (token, path) in both languages."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "token" not in rule.arguments:
            continue
        for lang in ("en", "cy"):
            secret = token()
            path = rule.rule.replace("<any(en,cy):lang>", lang).replace("<token>", secret)
            assert "<" not in path, path
            paths.append((secret, path))
    return paths


def test_every_kind_of_token_route_is_known(app: Flask) -> None:
    """The routes that carry a token: if one is added, this list and the redaction follow."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "token" in rule.arguments}
    assert {endpoint.split(".")[0] for endpoint in endpoints} == {
        "auth",
        # Accepting an invitation with Hwb: /<lang>/invitation/<token>/hwb, redacted as an
        # invitation (the logger test below sends every token route through every logger).
        "hwb",
        "shared",
        "staff_voice_response",
        # An administrator's upload waiting for its preview: /<lang>/admin/import/<token> and
        # /<lang>/admin/clusters/import/<token>.
        "admin",
    }
    assert len(token_paths(app)) >= 2 * 8


@pytest.fixture
def own_handler() -> Iterator[io.StringIO]:
    """A handler of our own on the root logger, as gunicorn or a log shipper would add: its
    output is checked as well as pytest's."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.mark.parametrize("name", LOGGERS)
def test_every_logger_redacts_tokens_in_every_place(
    app: Flask, caplog: pytest.LogCaptureFixture, own_handler: io.StringIO, name: str
) -> None:
    logger = logging.getLogger(name)
    secrets_used = []
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger=name or None):
        for secret, path in token_paths(app):
            secrets_used.append(secret)
            encoded = path.replace("/", "%2F")
            logger.info('"GET %s HTTP/1.1" 200 -', path)
            logger.info('"GET %s?page=2 HTTP/1.1" 200 - "-"', path)
            logger.info('"GET /en/sign-in?next=%s HTTP/1.1" 302', encoded)
            logger.info('"GET /en/ HTTP/1.1" 200 - "https://planner.example%s" "Mozilla"', path)
            logger.warning("Odd thing at %(where)s", {"where": path})
            try:
                raise RuntimeError(f"Exception on {path} [GET]")
            except RuntimeError:
                logger.exception("Failed: %s", path)
            logger.warning("Stack at %s", path, stack_info=True)
    assert len(caplog.records) == len(secrets_used) * 7
    for text in (caplog.text, own_handler.getvalue()):
        leaked = [secret for secret in secrets_used if secret[:20] in text]
        assert not leaked, text[:2000]
        assert "/en/reset-password/[token]" in text and "%2Fcy%2Fshared%2F[token]" in text
        assert "/cy/staff-voice/[token]/board" in text and "/en/invitation/[token]" in text
        assert "Traceback" in text


def spellings(secret: str) -> list[str]:
    """Other spellings of token links that a server still routes to the link (percent-encoded
    characters, in the path or the token, in either case of hexadecimal; "//" and "/./", which
    are redirected to it), or that name the same secret (the language in capitals, a link
    encoded twice inside a query string)."""
    first = f"%{ord(secret[0]):02X}"
    return [
        f"/en/%73taff-voice/{secret}",
        f"/cy/staff-voice/{first}{secret[1:]}/board",
        f"/en/shared/{secret[:10]}%{ord(secret[10]):02x}{secret[11:]}.pdf",
        f"/en//reset-password/{secret}",
        f"/cy/./invitation/{secret}",
        f"/EN/Shared/{secret}",
        f"/en/sign-in?next=%2fen%2fstaff%2Dvoice%2f{secret}",
        f"/en/sign-in?next=%252Fcy%252Fshared%252F{secret}",
    ]


@pytest.mark.parametrize("name", LOGGERS)
def test_tokens_are_redacted_however_the_link_is_spelt(
    app: Flask, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    secret = token()
    adapter = app.url_map.bind("localhost")
    routed = {
        adapter.match(unquote(path.split("?")[0]))[0]
        for path in spellings(secret)[:3]  # these are working links as they stand
    }
    assert routed == {"staff_voice_response.start", "staff_voice_response.board", "shared.pdf"}
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger=name or None):
        for path in spellings(secret):
            logging.getLogger(name).info('"GET %s HTTP/1.1" 404 -', path)
    assert caplog.text.count("[token]") == len(spellings(secret))
    assert secret[8:28] not in caplog.text, caplog.text


def test_a_filter_of_ones_own_redacts_too() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "%s", ("/en/shared/SECRETabc",), None
    )
    assert RedactTokens().filter(record)
    assert record.getMessage() == "/en/shared/[token]"


def test_other_paths_are_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("x").info("GET /en/plan/2026-27/staff-voice/12/close and /en/sign-in")
    assert "/en/plan/2026-27/staff-voice/12/close and /en/sign-in" in caplog.text


def test_emails_written_to_the_log_keep_their_links_outside_production_only(
    app: Flask, make_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Without MAIL_SERVER the development server writes each email to its log, so that a
    developer can follow its links; in production nothing is written whole."""
    from wizard.services.outbox import DEV_MAIL_LOGGER

    secret = token()
    with caplog.at_level(logging.INFO):
        with app.app_context():
            logging.getLogger(DEV_MAIL_LOGGER).warning("Link: /en/reset-password/%s", secret)
        production = make_app(PRODUCTION=True, TESTING=False)
        with production.app_context():
            assert production.config["PRODUCTION"]
            logging.getLogger(DEV_MAIL_LOGGER).warning("Link: /en/invitation/%s", secret + "x")
    assert secret in caplog.text
    assert secret + "x" not in caplog.text and "/en/invitation/[token]" in caplog.text


def exploding(app: Flask) -> Flask:
    """The app with a route under a token path that fails with the URL in its message."""

    def explode(**values: str) -> str:
        raise RuntimeError(f"Something failed at {request.url}")

    app.add_url_rule("/<any(en,cy):lang>/staff-voice/<token>/explode", view_func=explode)
    return app


def test_the_development_server_logs_no_tokens(
    make_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Real HTTP requests to Werkzeug's server, as `make run` serves: every token route, a
    query string and a 500 whose traceback names the URL."""
    from werkzeug.serving import make_server

    app = exploding(make_app())
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    used = []
    try:
        base = f"http://127.0.0.1:{server.port}"
        with caplog.at_level(logging.INFO):
            for secret, path in token_paths(app):
                used.append(secret)
                url = base + path + "?from=/en/shared/" + secret
                try:
                    urllib.request.urlopen(url).close()
                except urllib.error.HTTPError as error:
                    error.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert "/en/staff-voice/[token]/explode" in caplog.text and "Traceback" in caplog.text
    assert "/en/reset-password/[token]" in caplog.text
    assert not [secret for secret in used if secret[:20] in caplog.text], caplog.text[:3000]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def gunicorn_app() -> Flask:
    """What the gunicorn test serves: the app as `make serve` makes it, with a failing route."""
    from wizard import create_app

    return exploding(create_app())


RESPONDER = "203.0.113.9"
SOMEONE = "192.0.2.1"


def fetched(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return str(response.read().decode())


def get(url: str, headers: dict[str, str]) -> None:
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers)).close()
    except urllib.error.HTTPError as error:
        error.close()


def test_gunicorn_access_and_error_logs_carry_no_tokens(app: Flask, tmp_path: Path) -> None:
    """`make serve`'s gunicorn (its gunicorn.conf.py, one worker): the access log with its
    Referer, and the error log with a 500's traceback; and no address of a staff voice
    responder, whose pages promise that none is kept."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "WORKERS": "1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": secrets.token_hex(16),
        "WIZARD_INSTANCE_PATH": str(tmp_path),
        "WIZARD_BASE_URL": f"http://127.0.0.1:{port}",
        "REDIS_URL": "",
        # Behind make serve's nginx: the client's address comes in X-Forwarded-For.
        "WIZARD_TRUSTED_PROXIES": "1",
        "WIZARD_TRUSTED_PROXY_ADDRESSES": "127.0.0.1",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "tests.integration.test_secrets_in_logs:gunicorn_app()",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    used = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:  # wait until it answers (not a timed assertion: it only bounds the wait)
            try:
                urllib.request.urlopen(base + "/healthz").close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        failing = token()
        for secret, path in [*token_paths(app), (failing, f"/en/staff-voice/{failing}/explode")]:
            referer = token()
            used += [secret, referer]
            # A staff voice responder's address (as the proxy in front passes it on) is not
            # logged; anyone else's is.
            client = RESPONDER if "/staff-voice/" in path else SOMEONE
            get(
                base + path + "?next=%2Fen%2Fshared%2F" + secret,
                {"Referer": f"{base}/cy/invitation/{referer}", "X-Forwarded-For": client},
            )
        # ...nor when a page of the response asks for something else (a stylesheet, another
        # page), whose Referer is that page.
        get(
            base + "/en/privacy",
            {"Referer": f"{base}/cy/staff-voice/{token()}/board", "X-Forwarded-For": RESPONDER},
        )
        # ...nor for a static file, which a response page asks for without any Referer.
        stylesheet = re.search(
            r'rel="stylesheet" href="(/static/[^"]+)"', fetched(base + "/en/privacy")
        )
        assert stylesheet is not None
        get(base + stylesheet.group(1), {"X-Forwarded-For": RESPONDER})
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert '"GET /en/reset-password/[token]?next=%2Fen%2Fshared%2F[token] HTTP/1.1" 404' in text
    assert f'"{base}/cy/invitation/[token]"' in text  # the Referer
    assert "/en/staff-voice/[token]/explode" in text and "Traceback" in text  # the error log
    assert not [secret for secret in used if secret[:20] in text], text[:3000]
    assert f"{SOMEONE} - - [" in text  # addresses are logged...
    assert RESPONDER not in text, text[:3000]  # ...but not a staff voice responder's


def test_a_database_error_never_quotes_emails_or_password_hashes(
    app: Flask, caplog: pytest.LogCaptureFixture, own_handler: io.StringIO
) -> None:
    email = "known.person@school.example"
    with app.app_context():
        password_hash = hash_password("a very private password")
        db.session.add(User(email=email, name="Known", password_hash=password_hash))
        db.session.commit()
        with caplog.at_level(logging.INFO):
            logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
            try:
                db.session.add(User(email=email, name="Twin", password_hash=password_hash))
                with pytest.raises(IntegrityError) as raised:
                    db.session.commit()
                db.session.rollback()
                logging.getLogger("wizard").error("Database error", exc_info=raised.value)
            finally:
                logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
        assert db.session.scalar(select(User.name).where(User.email == email)) == "Known"
    # The exception names the statement, never its values (PostgreSQL's own DETAIL line, which
    # quotes the duplicate key, is left out of the logs below).
    message = str(raised.value)
    assert "INSERT INTO user_account" in message and "parameters hidden" in message
    assert password_hash.split("$")[-1] not in message and "Twin" not in message
    for text in (caplog.text, own_handler.getvalue()):
        assert email not in text and password_hash.split("$")[-1] not in text
        assert "INSERT INTO user_account" in text and "Twin" not in text
