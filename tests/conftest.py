"""Shared fixtures: an app on a clean database (SQLite, or PostgreSQL when TEST_DATABASE_URL is
set), a test client that parses every HTML response, and helpers to make schools and users.

`make test` runs the tests in parallel (pytest-xdist). Each worker is a process of its own with
its own session fixtures, so nothing here is shared between workers: the app's instance folder
and SQLite file are in the worker's own temporary folder, a PostgreSQL run makes a schema for
each worker in a database of the worker's own, rate limits count in each app's memory (the tests that use Redis take a key prefix
of their own), and live servers listen on a free port."""

from __future__ import annotations

import contextvars
import functools
import hashlib
import os
import re
import secrets
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib
import pytest
import wtforms
from bs4 import BeautifulSoup
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import Engine, TextClause, create_engine, event, select, text
from sqlalchemy.engine import make_url
from werkzeug.test import TestResponse

from tests.factories import PASSWORD, Directory
from wizard import create_app
from wizard.data.database import db
from wizard.data.directory import LOCAL_AUTHORITIES, load_local_authorities
from wizard.data.models import LocalAuthority, User
from wizard.render import pdf
from wizard.web.extensions import limiter

# Speed is measured by the benchmarks, never asserted in a test: Hypothesis's per-example
# deadline (200 ms by default) is a timed assertion that a busy machine fails for no fault of
# the code (seen on a unit test at a load average of 10), so the suite runs without it.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


class HtmlParseError(AssertionError):
    pass


class PageCheckError(AssertionError):
    pass


# GOV.UK puts "Error: " before the title of a page whose form has errors (layouts/base.html).
ERROR_PREFIXES = ("Error: ", "Gwall: ")


def _normalise(value: str) -> str:
    return " ".join(value.split())


def form_problems(contexts: Sequence[Mapping[str, Any]]) -> list[str]:
    """A page's main form is passed to its template as `form`, as every step page's is, so that
    templates, their macros and tests find it the same way. Checked on the context of every
    template the request rendered: one given exactly one WTForms form must call it `form` (a
    page with several forms, such as the coordinator's comment and review, names each)."""
    problems = []
    for context in contexts:
        forms = [name for name, value in context.items() if isinstance(value, wtforms.Form)]
        if len(forms) == 1 and forms[0] != "form":
            problems.append(
                f"the page's form is passed to its template as {forms[0]!r}, not `form`"
            )
    return problems


def page_problems(
    page: BeautifulSoup, full_page: bool, contexts: Sequence[Mapping[str, Any]] = ()
) -> list[str]:
    """What is wrong with a page (or, when not `full_page`, an htmx partial), as
    alphagov/notifications-admin's test client checks: one h1, a title that begins with it, no
    duplicate ids, an action on every POST form, and (given the contexts its templates were
    rendered with) its form passed as `form`."""
    problems = form_problems(contexts)
    if full_page:
        headings = page.find_all("h1")
        if len(headings) != 1:
            problems.append(f"{len(headings)} <h1> elements, not exactly one")
        else:
            h1 = _normalise(headings[0].get_text())
            title = _normalise(page.title.get_text()) if page.title else ""
            for prefix in ERROR_PREFIXES:
                title = title.removeprefix(prefix)
            if not h1 or not title.startswith(h1):
                problems.append(f"title {title!r} does not begin with the h1 {h1!r}")
    seen: set[str] = set()
    for element in page.find_all(id=True):
        if element["id"] in seen:
            problems.append(f"more than one element has id={element['id']!r}")
        seen.add(element["id"])
    for form in page.find_all("form"):
        if form.get("method", "get").lower() == "post" and not form.get("action", "").strip():
            problems.append(f"a POST form has no action: {str(form)[:120]}")
    return problems


def _local_name(element: ElementTree.Element) -> str | None:
    """An element's tag without its namespace (an SVG <title> is a title, as in the soup); None
    for a comment."""
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else None


def _tree_text(element: ElementTree.Element) -> str:
    """The text in an element, comments left out, as BeautifulSoup's `get_text` reads it."""
    parts = [element.text or ""] if isinstance(element.tag, str) else []
    for child in element:
        parts.append(_tree_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def tree_problems(tree: ElementTree.Element, full_page: bool) -> list[str]:
    """`page_problems`' markup checks on the tree html5lib built while looking for parse errors
    (so that a page the test never reads as a soup is parsed once): the same checks, element
    for element. When this finds any, the page's problems are `page_problems`' on its soup."""
    problems = []
    elements = [element for element in tree.iter() if isinstance(element.tag, str)]
    if full_page:
        headings = [element for element in elements if _local_name(element) == "h1"]
        if len(headings) != 1:
            problems.append(f"{len(headings)} <h1> elements, not exactly one")
        else:
            h1 = _normalise(_tree_text(headings[0]))
            titles = [element for element in elements if _local_name(element) == "title"]
            title = _normalise(_tree_text(titles[0])) if titles else ""
            for prefix in ERROR_PREFIXES:
                title = title.removeprefix(prefix)
            if not h1 or not title.startswith(h1):
                problems.append(f"title {title!r} does not begin with the h1 {h1!r}")
    seen: set[str] = set()
    for element in elements:
        id_ = element.get("id")
        if id_ is None:
            continue
        if id_ in seen:
            problems.append(f"more than one element has id={id_!r}")
        seen.add(id_)
    for element in elements:
        if _local_name(element) != "form":
            continue
        if element.get("method", "get").lower() == "post" and not element.get("action", "").strip():
            problems.append("a POST form has no action")
    return problems


def response_soup(response: TestResponse) -> BeautifulSoup:
    """The response's soup (made when first read)."""
    if isinstance(response, ParsedResponse):
        return response.soup
    page = BeautifulSoup(response.get_data(), "html.parser")
    response.soup = page  # type: ignore[attr-defined]
    return page


# Every cookie name any response of the run has set (`Set-Cookie`, redirects followed
# included): when the session's app is torn down, each must be on the cookies page
# (`unlisted_cookies`; a run of a few tests checks the cookies those tests saw).
COOKIES_SEEN: set[str] = set()


def record_cookies(response: TestResponse) -> set[str]:
    """Add the names of the cookies the response (and any redirect before it) set."""
    names = set()
    for each in (*response.history, response):
        for header in each.headers.getlist("Set-Cookie"):
            names.add(header.split("=", 1)[0].strip())
    COOKIES_SEEN.update(names)
    return names


def listed_cookies(page: BeautifulSoup) -> list[re.Pattern[str]]:
    """The cookie names on the cookies page: the first cell of each row of its tables, as
    `<code>`; a `<var>` in it stands for a number (`staff-voice-<var>number</var>`)."""
    patterns = []
    for row in page.select("main table tbody tr"):
        code = row.select_one("td code, th code")
        if code is None:
            continue
        parts = []
        for part in code.children:
            if getattr(part, "name", None) == "var":
                parts.append(r"[0-9]+")
            else:
                parts.append(re.escape(part.get_text() if hasattr(part, "get_text") else part))
        patterns.append(re.compile("".join(parts).strip()))
    return patterns


def unlisted_cookies(app: Flask, names: set[str], lang: str) -> set[str]:
    """The names that the cookies page in this language does not list."""
    client = FlaskClient(app, use_cookies=False)
    response = client.get(f"/{lang}/cookies")
    assert response.status_code == 200
    patterns = listed_cookies(BeautifulSoup(response.get_data(as_text=True), "html.parser"))
    return {name for name in names if not any(p.fullmatch(name) for p in patterns)}


# Markup this worker has already parsed and found clean (html5lib's errors and
# `page_problems`' checks of the markup), by a digest of the page with its CSRF tokens left
# out: a page read again, as the GET walk and the access matrix read the same pages as several
# people, is not parsed again. A CSRF token is a signed value of URL-safe characters (three
# parts joined by dots) that differs in each request and changes nothing the checks look at.
# The pattern takes linear time: a match starts only where a run of those characters starts,
# and each part takes its whole run (a page echoing a 400,000-digit amount took the plain
# greedy pattern, which tried every start and backtracked from each, some 20 minutes).
CSRF_TOKEN = re.compile(
    rb"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}+\.[A-Za-z0-9_-]{4,}+\.[A-Za-z0-9_-]{20,}+"
)
CLEAN_MARKUP: set[bytes] = set()


def markup_digest(body: bytes, full_page: bool) -> bytes:
    kind = b"page:" if full_page else b"partial:"
    return hashlib.sha256(kind + CSRF_TOKEN.sub(b"T", body)).digest()


class ParsedResponse(TestResponse):
    """A response whose `soup` (BeautifulSoup) is made when a test first reads it."""

    @functools.cached_property
    def soup(self) -> BeautifulSoup:
        if self.mimetype != "text/html":
            raise AttributeError("only an HTML response has a soup")
        return BeautifulSoup(self.get_data(), "html.parser")


class ParsingClient(FlaskClient):
    """A test client that parses every HTML response and fails on markup errors, and on the
    problems `page_problems` finds.

    Each HTML response has a `soup` attribute (BeautifulSoup) for the test to query.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not issubclass(self.response_wrapper, ParsedResponse):
            self.response_wrapper = type(
                "ParsedTestResponse", (ParsedResponse, self.response_wrapper), {}
            )

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        # Run each request in an empty context, as a real server would: otherwise Flask reuses
        # the test's own app context (and its `g`, where Flask-Babel caches the locale).
        # Buffered, as a server sends the whole response and then closes it: what a view does
        # after its response (`call_on_close`) has happened when the test looks.
        kwargs.setdefault("buffered", True)
        contexts: list[dict[str, Any]] = []

        def rendered(sender: Flask, template: Any, context: dict[str, Any], **extra: Any) -> None:
            contexts.append(context)

        with template_rendered.connected_to(rendered, self.application):
            response: TestResponse = contextvars.Context().run(super().open, *args, **kwargs)
        record_cookies(response)
        if response.mimetype == "text/html":
            check_page(response, contexts)
        return response


def check_page(response: TestResponse, contexts: Sequence[Mapping[str, Any]]) -> None:
    """Fail on the response's markup errors and on what `page_problems` finds."""
    body = response.get_data()
    full_page = body.lstrip()[:9].lower() == b"<!doctype"
    problems = form_problems(contexts)
    digest = markup_digest(body, full_page)
    if digest not in CLEAN_MARKUP:
        parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
        if full_page:
            tree = parser.parse(body)
        else:
            tree = parser.parseFragment(body)  # an htmx partial
        if parser.errors:
            raise HtmlParseError(f"{response.request.path}: {parser.errors[:5]}")
        markup = tree_problems(tree, full_page)
        if markup:
            # As `page_problems` words them, on the soup the test reads.
            markup = page_problems(response_soup(response), full_page) or markup
        else:
            CLEAN_MARKUP.add(digest)
        problems += markup
    if problems:
        raise PageCheckError(f"{response.request.path}: {'; '.join(problems)}")


def _postgres_schema(url: str) -> tuple[str, str]:
    """Make a fresh schema for this run and return (URL that uses it, schema name). Each run,
    and each of a parallel run's workers (pytest-xdist: gw0, gw1, ...), has its own. Its
    sessions commit without waiting for the disk (`synchronous_commit=off`: a test database
    is thrown away, and what a transaction sees is the same), as SQLite's do."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"test_{worker}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    options = f"-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    return f"{url}{separator}options={options}", schema


def _worker_database(url: str) -> str:
    """In a parallel run, the URL of this worker's own database beside TEST_DATABASE_URL's
    (`test_gw0`, made if missing): advisory locks, such as the PDF render slots', are the
    database's, so workers in schemas of one database would take each other's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def test_database_url() -> str | None:
    """TEST_DATABASE_URL for SQLAlchemy's psycopg driver, this worker's own database in it."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return _worker_database(url)


test_database_url.__test__ = False  # type: ignore[attr-defined]


def database_url(tmp_dir: Path) -> tuple[str, str | None]:
    url = test_database_url()
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}", None
    return _postgres_schema(url)


@event.listens_for(Engine, "connect")
def _sqlite_without_waiting_for_the_disk(dbapi_connection: Any, connection_record: Any) -> None:
    """A test's SQLite database is thrown away with its run: its commits need not wait for the
    disk (`synchronous=OFF`), which on a busy machine cost a test about a tenth of a second
    in emptying the tables alone. What a transaction sees, and its locks, are as before."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def test_config(url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        # Cheap hashing keeps the suite quick; production uses the defaults in config.py.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
        "BASE_URL": "http://localhost",
        # Tests serve static/ itself unless they build it (tests/integration/test_static_files.py),
        # so that a build left by `make run` never changes what they see.
        "STATIC_BUILD_DIR": str(instance / "no-static-build"),
        # Each run keeps its submitted versions' PDFs apart.
        "PDF_CACHE_DIR": str(instance / "pdf-cache"),
        # Emails are sent by the request after its commit (the RQ path has its own tests).
        "MAIL_QUEUE_URL": "",
    }


# Not a test, despite the name (pytest would collect it wherever it is imported).
test_config.__test__ = False  # type: ignore[attr-defined]


def share_compiled_templates(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every app the run makes (the session's, `make_app`'s, a test's own `create_app`) keeps
    its compiled templates in one folder of the run, shared by its workers: a template is
    compiled once per run, not once per app and worker. Jinja keys each by its name and file
    and checks its source's checksum; the folder is the run's own (pytest's temporary folder
    of the run), so no other run's settings can reach it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # each worker's folder is in the run's
    folder = root / "jinja-bytecode"
    folder.mkdir(exist_ok=True)
    Flask.jinja_options = {
        **Flask.jinja_options,
        "bytecode_cache": FileSystemBytecodeCache(str(folder)),
    }


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the run, its schema built by the Alembic migrations."""
    share_compiled_templates(tmp_path_factory)
    tmp = tmp_path_factory.mktemp("instance")
    os.environ["WIZARD_INSTANCE_PATH"] = str(tmp)
    url, schema = database_url(tmp)
    app = create_app(test_config(url, tmp))
    app.test_client_class = ParsingClient
    with app.app_context():
        upgrade()
    yield app
    # The cookies page lists every cookie the run saw set (both languages).
    missing = {lang: unlisted_cookies(app, COOKIES_SEEN, lang) for lang in ("en", "cy")}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        engine = create_engine(str(test_database_url()))
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
    if missing["en"] or missing["cy"]:
        pytest.fail(
            "Cookies set in this run that the cookies page does not list: "
            f"{sorted(missing['en'] | missing['cy'])} (templates/public/cookies.html)"
        )


# The 22 local authorities as `load_local_authorities` writes them, in no partnership.
AUTHORITIES = {(code, name_en, name_cy, None) for code, name_en, name_cy in LOCAL_AUTHORITIES}


@functools.cache
def _tables_with_rows_query() -> TextClause:
    """One statement that names the tables holding any row."""
    return text(
        " UNION ALL ".join(
            f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")"
            for table in db.metadata.sorted_tables
        )
    )


def _only_the_authorities() -> None:
    """Leave the 22 local authorities and nothing else. A test changes a few tables: one
    statement finds the tables that hold rows and only those are emptied, children first; the
    authorities are kept when they are exactly as loaded, else loaded again (as before each
    test until now, but for the 34 DELETEs and 22 INSERTs of every test)."""
    db.session.rollback()
    holding = set(db.session.scalars(_tables_with_rows_query()))
    authorities = LocalAuthority.__table__
    for table in reversed(db.metadata.sorted_tables):
        if table.name in holding and table is not authorities:
            db.session.execute(table.delete())
    kept = db.session.execute(
        select(
            authorities.c.code,
            authorities.c.name_en,
            authorities.c.name_cy,
            authorities.c.partnership_id,
        )
    ).all()
    if len(kept) != len(AUTHORITIES) or set(map(tuple, kept)) != AUTHORITIES:
        db.session.execute(authorities.delete())
        load_local_authorities()
    db.session.commit()


# WeasyPrint's PDF of a given HTML, kept for the rest of the worker's run: the GET walk, the
# access matrix and the downloads' tests ask for the same plan's PDF as several people, and a
# render is the costliest thing a request does. Everything before the render (the view, the
# plan's HTML, the render slots, the version cache) still runs for each request; only the same
# HTML's PDF is not made again. A test that counts renders replaces `render_pdf`, above this.
RENDERED_PDFS: OrderedDict[bytes, bytes] = OrderedDict()
KEPT_PDFS = 32


def _render_once(write: Callable[[str], bytes]) -> Callable[[str], bytes]:
    lock = threading.Lock()  # live servers render in threads of their own

    def render(html: str) -> bytes:
        key = hashlib.sha256(html.encode()).digest()
        with lock:
            if key in RENDERED_PDFS:
                RENDERED_PDFS.move_to_end(key)
                return RENDERED_PDFS[key]
        made = write(html)
        with lock:
            RENDERED_PDFS[key] = made
            while len(RENDERED_PDFS) > KEPT_PDFS:
                RENDERED_PDFS.popitem(last=False)
        return made

    render.__wrapped__ = write  # type: ignore[attr-defined]
    return render


@pytest.fixture(scope="session", autouse=True)
def pdfs_rendered_once() -> Iterator[None]:
    write = pdf._write_pdf
    pdf._write_pdf = _render_once(write)
    yield
    pdf._write_pdf = write


# Tests that touch no database of the run's (docs/decisions/0008-database-free-tests-once.md):
# the unit tests that use no app (pure domain, catalogue files, static files, docs), and tests
# marked `database_free`. They run on SQLite's pass only: on PostgreSQL's they would do the same
# work again. `no_database_touched` proves it for each of them on every SQLite run.
UNIT_TESTS = Path(__file__).parent / "unit"


def database_free(item: pytest.Item) -> bool:
    if item.get_closest_marker("database_free"):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return item.path.is_relative_to(UNIT_TESTS) and "app" not in fixtures


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Database-free tests are left to SQLite's pass (TEST_DATABASE_URL unset)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    kept, left = [], []
    for item in items:
        (left if database_free(item) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@contextmanager
def no_database_touched(where: str) -> Iterator[None]:
    """Fail if any engine of this process connects or runs a statement inside the block."""
    touched: list[str] = []
    # This test's thread: a live server of an earlier browser test in this worker may still
    # answer a late request of its own.
    thread = threading.get_ident()

    def connected(dbapi_connection: Any, connection_record: Any) -> None:
        if threading.get_ident() == thread:
            touched.append("a new connection")

    def executed(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.get_ident() == thread:
            touched.append(" ".join(statement.split())[:120])

    event.listen(Engine, "connect", connected)
    event.listen(Engine, "before_cursor_execute", executed)
    try:
        yield
    finally:
        event.remove(Engine, "connect", connected)
        event.remove(Engine, "before_cursor_execute", executed)
    if touched:
        raise AssertionError(
            f"{where} is database-free (left to SQLite's pass, see tests/conftest.py "
            f"`database_free`) but touched a database: {touched[:3]}"
        )


@pytest.fixture(autouse=True)
def clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with the 22 local authorities and nothing else; a database-free
    test is checked to touch no database instead."""
    if database_free(request.node):
        with no_database_touched(request.node.nodeid):
            yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        _only_the_authorities()
        limiter.reset()
    yield
    with app.app_context():
        db.session.remove()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def directory(app: Flask, ctx: None) -> Directory:
    return Directory(app)


def sign_in(client: FlaskClient, email: str, lang: str = "en") -> TestResponse:
    response = client.post(f"/{lang}/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def lead(directory: Directory) -> User:
    """A school lead at a Welsh-named school, signed in through `lead_client`."""
    school = directory.school()
    return directory.user(email="lead@school.example", school=school, lead=True)


@pytest.fixture
def lead_client(client: FlaskClient, lead: User) -> FlaskClient:
    sign_in(client, lead.email)
    return client


@pytest.fixture
def make_app(app: Flask, tmp_path: Path) -> Iterator[Any]:
    """Make another app on the same database with changed settings; its connections are
    closed afterwards."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        config = {**test_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path), **overrides}
        # The limiter is one extension object, and Flask-Limiter keeps the first key prefix it
        # was ever given: forget it, so that this app counts under its own RATELIMIT_KEY_PREFIX.
        limiter._key_prefix = ""
        other = create_app(config)
        other.test_client_class = ParsingClient
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@dataclass(repr=False)
class CountedQueries:
    """The SQL statements run while counting; `total` is how many."""

    statements: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.statements)

    def __repr__(self) -> str:  # pytest shows the repr of an assertion's message
        return "\n".join(f"{n}. {_shortened(s)}" for n, s in enumerate(self.statements, 1))


def _shortened(statement: str) -> str:
    """A statement on one line: its start and, when long, its end (which says what it reads)."""
    line = " ".join(statement.split())
    return line if len(line) <= 160 else f"{line[:100]} ... {line[-60:]}"


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], AbstractContextManager[CountedQueries]]:
    """Count the SQL statements run inside a `with` block, through SQLAlchemy's
    `before_cursor_execute` event on the app's engine:

        with count_queries() as counted:
            client.get(url)
        assert counted.total == 5, counted
    """
    with app.app_context():
        engine = db.engine

    @contextmanager
    def count() -> Iterator[CountedQueries]:
        counted = CountedQueries()

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            counted.statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield counted
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return count
