"""Fixtures for the browser tests: the app with CSRF protection on, served on a live server in a
background thread, and Debian's Chromium driven by Playwright (one browser for the run, a new
context for each test)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, got_request_exception
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    WebError,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from tests.conftest import Directory, test_config
from wizard import create_app
from wizard.config import ROOT
from wizard.data.database import db
from wizard.data.models import User
from wizard.domain.academic_year import academic_year_of, year_slug

from .support import COLLEAGUE, COLLEAGUE_NAME, ContextFactory, Translator, is_console_error

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WELSH_CATALOGUE = ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.mo"
# Fail fast (Playwright waits 30 seconds by default): every page here answers in milliseconds.
TIMEOUT_MS = 5_000


CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', function (event) {
  window.__reportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  })
}, true)
"""


class _QuietRequestHandler(WSGIRequestHandler):
    """Keep the test output free of one access-log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class LiveServer:
    url: str
    # Exceptions raised by views while the current test ran (they render a 500 page, which a
    # browser test might not notice).
    errors: list[BaseException] = field(default_factory=list)


@pytest.fixture(scope="session")
def live_app(app: Flask) -> Iterator[Flask]:
    """A second app on the same database as `app`, with CSRF protection on, as in production."""
    config = test_config(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path))
    config["WTF_CSRF_ENABLED"] = True
    live = create_app(config)
    yield live
    with live.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    """Serve `live_app` on a free local port in a background thread."""
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietRequestHandler
    )
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}")

    def record(sender: Flask, exception: BaseException, **extra: Any) -> None:
        live.errors.append(exception)

    got_request_exception.connect(record, live_app, weak=False)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    got_request_exception.disconnect(record, live_app)


@pytest.fixture(autouse=True)
def no_server_errors(live_server: LiveServer) -> Iterator[None]:
    """Fail a test whose requests raised an exception in the app."""
    live_server.errors.clear()
    yield
    errors, live_server.errors[:] = list(live_server.errors), []
    if errors:
        raise AssertionError(f"The app raised during this test: {errors!r}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole run."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Run `make chromium` to install it.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserProblems:
    """What went wrong in the browser itself: script errors, console errors (a script blocked
    by the Content-Security-Policy, for instance) and static files that failed to load."""

    messages: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if is_console_error(message):
            self.messages.append(f"console error: {message.text} at {message.location}")

    def web_error(self, error: WebError) -> None:
        self.messages.append(f"uncaught error: {error.error}")

    def csp_violation(self, source: Any, report: dict[str, Any]) -> None:
        self.messages.append(
            "Content-Security-Policy violation: {directive} blocked {blocked} at {where}".format(
                directive=report.get("directive"),
                blocked=report.get("blocked") or "inline",
                where=f"{report.get('source')}:{report.get('line')} ({report.get('sample')!r})",
            )
        )

    def response(self, response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.messages.append(f"{response.status} for {response.url}")


@pytest.fixture
def new_context(browser: Browser, live_server: LiveServer) -> Iterator[ContextFactory]:
    """Make browser contexts (each a fresh profile: no cookies) that are closed after the test.

    Keyword arguments go to `Browser.new_context`, for example `java_script_enabled=False`.
    """
    contexts: list[BrowserContext] = []
    problems = BrowserProblems()

    def make(**options: Any) -> BrowserContext:
        options = {"base_url": live_server.url, "locale": "en-GB", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", problems.console)
        context.on("weberror", problems.web_error)
        context.on("response", problems.response)
        # Every `securitypolicyviolation` event on every page, reported to the test (the
        # browser's own console message for some violations is only a warning).
        context.expose_binding("__reportCspViolation", problems.csp_violation)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    if problems.messages:
        raise AssertionError("Problems in the browser:\n" + "\n".join(problems.messages))


@pytest.fixture
def context(new_context: ContextFactory) -> BrowserContext:
    """A browser context with JavaScript on."""
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def cy(live_app: Flask) -> Translator:
    """The Welsh for an English msgid, from the compiled catalogue, as the app would show it."""
    if not WELSH_CATALOGUE.exists():
        pytest.fail(
            f"{WELSH_CATALOGUE} is missing. Run `make compile-messages` "
            "(or `.venv/bin/pybabel compile -d translations`).",
            pytrace=False,
        )
    return Translator(live_app, "cy")


@pytest.fixture(scope="session")
def en(live_app: Flask) -> Translator:
    """The English text for a msgid (with its variables filled in)."""
    return Translator(live_app, "en")


@pytest.fixture(scope="session")
def plan_year() -> str:
    """The slug of this academic year's plan, as in /en/plan/2026-27/."""
    return year_slug(academic_year_of(date.today()))


@pytest.fixture
def school_lead(directory: Directory) -> User:
    """A school lead at a school with a Welsh name, with no saved answers."""
    school = directory.school()
    return directory.user(email="lead@school.example", school=school, lead=True)


@pytest.fixture
def coordinator(directory: Directory) -> User:
    """A cluster coordinator of one cluster with two schools, one of them without a Welsh name."""
    cluster = directory.cluster("Taff cluster")
    directory.school(cluster=cluster)
    directory.school("St Mary's Church in Wales Primary", name_cy=None, cluster=cluster)
    return directory.user(
        email="coordinator@cardiff.example", name="Gareth Evans", coordinator_of=[cluster]
    )


@pytest.fixture
def colleague(directory: Directory, school_lead: User) -> User:
    """A colleague (not a lead) at the school lead's school."""
    return directory.user(email=COLLEAGUE, school=school_lead.school, name=COLLEAGUE_NAME)
