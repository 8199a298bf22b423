"""Faults: the database going away mid-session, a failure in the middle of every multi-row
write, and migrations run forward on a database full of data.

- With the database stopped, pages answer a bilingual 503, /readyz fails and /healthz does not;
  a save that fails gives back what was typed, in a form that sends it again; when the database
  is back, everything saved before is there and the retried save works. The outage is an app
  pointed at a database it cannot reach (a file in a missing folder on SQLite, a closed port
  on PostgreSQL), sharing the signed-in user's cookie, and a failure of the connection in the
  middle of a request.
- A failure injected in the middle of submitting, reopening, starting next year's plan and
  importing schools (the Nth statement of a kind raises, as a database that goes away would)
  leaves every table as it was.
- Every migration runs forward on a database holding a seeded Wales (a small one), without
  losing or changing a row.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.conftest import Directory, _postgres_schema
from tests.factories import PASSWORD
from tests.html import heading, soup
from tests.html import text as text_of
from tests.plans import revision, write_plan
from wizard.data.database import db
from wizard.data.models import PlanAnswer, School, User
from wizard.domain.academic_year import academic_year_of, year_slug

THIS = academic_year_of(date.today())
YEAR = year_slug(THIS)
NEXT = year_slug(THIS + 1)
HALLMARK = {
    "rating": "developing",
    "evidence": "Learning walks every half term\nand pupil voice",
    "next_steps": "Coaching triads – Triawdau hyfforddi",
}


# Dumps of tables, to check that nothing changed.


def dump(engine: Engine, tables: list[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (or of `tables`), read on a fresh connection, in a stable
    order; the server-side sessions and sign-in attempts change with every sign-in, so they
    are left out unless named."""
    names = tables or [
        name
        for name in inspect(engine).get_table_names()
        if name not in ("alembic_version", "user_session", "sign_in_attempt")
    ]
    rows = {}
    with engine.connect() as connection:
        for name in names:
            result = connection.execute(text(f'SELECT * FROM "{name}"'))
            rows[name] = sorted((tuple(row) for row in result), key=repr)
    return rows


def engine_of(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


@contextmanager
def failing(engine: Engine, pattern: str, nth: int = 1) -> Iterator[list[str]]:
    """Make the `nth` statement matching `pattern` (a regular expression) fail as a database
    that went away would, while inside the block. Yields the statements that matched."""
    matched: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if re.search(pattern, statement, re.IGNORECASE | re.DOTALL):
            matched.append(statement)
            if len(matched) == nth:
                raise OperationalError(statement, {}, Exception("injected: the database went away"))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield matched
    finally:
        event.remove(engine, "before_cursor_execute", before)


@contextmanager
def cut_off(engine: Engine, nth: int) -> Iterator[list[str]]:
    """Cut the connection off just before the `nth` statement, while inside the block: on
    PostgreSQL the server ends the connection's backend (as a restart does), so the statement,
    and the rollback after it, meet a connection that is gone; on SQLite the statement fails as
    `failing` makes it."""
    if engine.dialect.name != "postgresql":
        with failing(engine, r".", nth) as matched:
            yield matched
        return
    matched: list[str] = []
    killer = create_engine(engine.url)

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        matched.append(statement)
        if len(matched) == nth:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with killer.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield matched
    finally:
        event.remove(engine, "before_cursor_execute", before)
        killer.dispose()


def unreachable(url: str, tmp_path: Path) -> str:
    """A URL of the same kind of database that cannot be reached."""
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'missing-folder' / 'gone.sqlite3'}"
    return make_url(url).set(host="127.0.0.1", port=1).render_as_string(hide_password=False)


# Two apps on one secret key: one on the database, one that cannot reach it (the same service
# after its database stopped). A cookie from one works on the other.


@pytest.fixture
def apps(app: Flask, make_app: Callable[..., Flask], tmp_path: Path) -> tuple[Flask, Flask]:
    key = secrets.token_hex(16)
    gone = tmp_path / "missing-folder" / "gone.sqlite3"
    up = make_app(SECRET_KEY=key, WTF_CSRF_ENABLED=True)
    down = make_app(
        SECRET_KEY=key,
        WTF_CSRF_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=unreachable(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path),
    )
    if gone.exists():
        # The app makes its SQLite file when it starts: a folder in its place cannot be opened.
        gone.unlink()
        gone.mkdir()
    return up, down


def csrf_of(client: FlaskClient, url: str = "/en/cookies") -> str:
    return str(soup(client.get(url)).find("meta", attrs={"name": "csrf-token"})["content"])


def sign_in_with_csrf(client: FlaskClient, email: str) -> None:
    response = client.post(
        "/en/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(client)}
    )
    assert response.status_code == 302, response.status_code


def same_cookie(client: FlaskClient, other: Flask) -> FlaskClient:
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy = other.test_client()
    copy.set_cookie("session", cookie.value)
    return copy


def save(client: FlaskClient, path: str, data: dict[str, str], lang: str = "en") -> None:
    url = f"/{lang}/plan/{YEAR}/{path}"
    token = csrf_of(client, url)
    response = client.post(
        url, data={**data, "revision": revision(client, url), "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code


@pytest.fixture
def lead(directory: Directory) -> User:
    school = directory.school()
    return directory.user(email="lead@school.example", school=school, lead=True)


def test_the_health_checks_when_the_database_is_stopped(apps: tuple[Flask, Flask]) -> None:
    up, down = apps
    assert up.test_client().get("/readyz").status_code == 200
    ready = down.test_client().get("/readyz")
    assert ready.status_code == 503
    # The process itself is alive: a load balancer should not restart it.
    assert down.test_client().get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Sorry, the service is unavailable"),
        ("cy", "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael"),
    ],
)
def test_pages_answer_503_in_their_language_when_the_database_stops(
    apps: tuple[Flask, Flask], lead: User, lang: str, title: str
) -> None:
    up, down = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    assert client.get(f"/{lang}/plan/{YEAR}/").status_code == 200
    stopped = same_cookie(client, down)
    for url in (f"/{lang}/plan/{YEAR}/", f"/{lang}/plan/{YEAR}/hallmark-1", f"/{lang}/account/"):
        response = stopped.get(url)
        assert response.status_code == 503, url
        assert heading(response) == title
    # Back again: the same session works.
    assert client.get(f"/{lang}/plan/{YEAR}/").status_code == 200


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_save_while_the_database_is_stopped_keeps_what_was_typed(
    apps: tuple[Flask, Flask], lead: User, lang: str
) -> None:
    up, down = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    save(
        client,
        "about-your-school",
        {
            "phase": "primary",
            "teaching_staff": "12",
            "support_staff": "8",
            "pl_lead": "Catrin Jones",
            "funding_allocation": "1000",
        },
        lang,
    )
    before = dump(engine_of(up))
    url = f"/{lang}/plan/{YEAR}/hallmark-2"
    typed = {**HALLMARK, "revision": revision(client, url), "csrf_token": csrf_of(client, url)}

    failed = same_cookie(client, down).post(url + "?return_to=check", data=typed)
    assert failed.status_code == 503
    page = soup(failed)
    form = page.find("form", attrs={"action": url + "?return_to=check"})
    assert form is not None, "the 503 page gives a form that sends the answers again"
    sent = {i["name"]: i["value"] for i in form.find_all("input")}
    assert {k: sent[k] for k in HALLMARK} == HALLMARK
    shown = text_of(page.select_one(".app-typed-answers"))
    assert "Learning walks every half term" in shown and "Triawdau hyfforddi" in shown
    if lang == "cy":
        assert "Rhoi cynnig arall arni" in text_of(form)

    # Back again: nothing saved before changed, and sending the form again saves the answers.
    assert dump(engine_of(up)) == before
    retried = client.post(form["action"], data=sent)
    assert retried.status_code == 302, retried.status_code
    with up.app_context():
        saved = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "hallmark-2"))
        assert saved is not None and saved.data["evidence"] == HALLMARK["evidence"]


def test_a_connection_lost_in_the_middle_of_a_save_keeps_what_was_typed(
    apps: tuple[Flask, Flask], lead: User
) -> None:
    up, _ = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    url = f"/en/plan/{YEAR}/hallmark-1"
    typed = {**HALLMARK, "revision": revision(client, url), "csrf_token": csrf_of(client, url)}
    engine = engine_of(up)
    before = dump(engine)
    with failing(engine, r"^\s*(INSERT INTO|UPDATE) plan_answer") as matched:
        response = client.post(url, data=typed)
    assert matched, "the save reached the database"
    assert response.status_code == 503
    assert dump(engine) == before
    form = soup(response).find("form", attrs={"action": url})
    sent = {i["name"]: i["value"] for i in form.find_all("input")}
    assert client.post(url, data=sent).status_code == 302


def test_an_htmx_move_while_the_database_is_stopped_is_a_503(
    apps: tuple[Flask, Flask], lead: User
) -> None:
    up, down = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    token = csrf_of(client)
    response = same_cookie(client, down).post(
        f"/en/plan/{YEAR}/diamond-9/move",
        data={"version": "0", "card": "card:pedagogy", "to": "next"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 503


# A failure in the middle of each multi-row write leaves nothing half-written.


@pytest.fixture
def lead_client(app: Flask, lead: User) -> FlaskClient:
    from tests.conftest import sign_in

    client = app.test_client()
    sign_in(client, lead.email)
    return client


def injected(
    app: Flask, client: FlaskClient, pattern: str, nth: int, request: Callable[[], Any]
) -> None:
    """Run `request` with the nth statement matching `pattern` failing; check it answered 503
    and changed no table."""
    engine = engine_of(app)
    before = dump(engine)
    with failing(engine, pattern, nth) as matched:
        response = request()
    assert len(matched) >= nth, f"only {len(matched)} statements matched {pattern!r}"
    assert response.status_code == 503, response.status_code
    assert dump(engine) == before


def test_a_failure_in_the_middle_of_submitting_writes_nothing(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    submit = f"/en/plan/{YEAR}/submit"
    # The version is written, then the reporting facts (many rows), then the audit record.
    injected(
        app, lead_client, r"^\s*INSERT INTO fact_placement", 1, lambda: lead_client.post(submit)
    )
    injected(app, lead_client, r"^\s*INSERT INTO audit_event", 1, lambda: lead_client.post(submit))
    assert lead_client.post(submit).status_code == 302


def test_a_failure_in_the_middle_of_reopening_writes_nothing(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    reopen = f"/en/plan/{YEAR}/reopen"
    # The plan becomes a draft (a new version), the sections whose answers changed since they
    # were completed lose their completion (none here: unchanged sections stay complete), then
    # the reopening is recorded: that last write fails, after the plan's was sent.
    injected(app, lead_client, r"^\s*INSERT INTO audit_event", 1, lambda: lead_client.post(reopen))
    assert lead_client.post(reopen).status_code == 302


def test_a_failure_in_the_middle_of_starting_next_years_plan_writes_nothing(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    start = f"/en/plan/{NEXT}/start"
    # The plan is written, then last year's answers are copied: the copy fails (on SQLite one
    # INSERT a row, so the first of them; PostgreSQL sends them all in one statement).
    injected(
        app,
        lead_client,
        r"^\s*INSERT INTO plan_answer",
        1,
        lambda: lead_client.post(start, data={"start": "copy"}),
    )
    assert lead_client.post(start, data={"start": "copy"}).status_code == 302
    with app.app_context():
        copied = db.session.scalars(select(PlanAnswer.step).join(PlanAnswer.plan)).all()
    assert len(copied) > 10


def test_a_failure_in_the_middle_of_importing_schools_imports_nothing(
    app: Flask, ctx: None, tmp_path: Path
) -> None:
    path = tmp_path / "schools.csv"
    path.write_text(
        "school_number,name_en,name_cy,local_authority,cluster,language_medium\n"
        + "".join(f"68021{n:02d},School {n},,cardiff,Cluster A,english\n" for n in range(20)),
        encoding="utf-8",
    )
    engine = db.engine
    before = dump(engine)
    with failing(engine, r"^\s*INSERT INTO school", 1):
        # One statement inserts many rows on some databases: fail the first of them.
        result = app.test_cli_runner().invoke(args=["import-schools", str(path)])
    assert result.exit_code != 0
    db.session.rollback()
    assert dump(engine) == before
    assert app.test_cli_runner().invoke(args=["import-schools", str(path)]).exit_code == 0
    db.session.rollback()
    assert db.session.query(School).count() == 20


# Migrations forward on real data.


def test_every_migration_runs_forward_on_a_seeded_wales_without_loss(
    app: Flask, make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        url, _ = _postgres_schema(url.split("?")[0])
    other = make_app(SQLALCHEMY_DATABASE_URI=url)
    with other.app_context():
        upgrade()
        runner = other.test_cli_runner()
        seeded = runner.invoke(args=["seed-wales", "--schools", "60", "--clusters", "6"])
        assert seeded.exit_code == 0, seeded.output
        db.session.remove()
        engine = db.engine
        script = ScriptDirectory.from_config(other.extensions["migrate"].migrate.get_config())
        revisions = [r.revision for r in script.walk_revisions()]  # the newest first
        full = dump(engine)
        assert sum(len(rows) for rows in full.values()) > 500
        for revision_id in revisions[1:]:
            # Back to an older schema (the tables and columns it did not have go), then forward
            # again: every row the older schema held is still there, unchanged.
            downgrade(revision=revision_id)
            db.session.remove()
            older = dump(engine)
            upgrade()
            db.session.remove()
            now = dump(engine)
            for name, rows in older.items():
                columns = len(rows[0]) if rows else 0
                assert [row[:columns] for row in now[name]] == rows, (revision_id, name)
        # And at the head again, the rows of the tables the first migration made are all
        # there (the later tables were emptied by going back to it).
        again = dump(engine)
        for name in ("school", "cluster", "plan", "user_account", "plan_answer"):
            assert len(again[name]) == len(full[name]) > 0, name


# Error pages never need the database (issue 33, point 4): a 400 stays a 400 and a page that
# needs the database is our 503, never a 500, in the request's language, in the middle of a
# signed-in session.


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_csrf_error_page_stays_a_400_when_the_database_stops(
    apps: tuple[Flask, Flask], lead: User, lang: str
) -> None:
    up, down = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    url = f"/{lang}/plan/{YEAR}/hallmark-1"
    response = same_cookie(client, down).post(url, data={**HALLMARK, "csrf_token": "stale"})
    assert response.status_code == 400
    assert soup(response).html["lang"] == lang
    assert heading(response) == (
        "Sorry, there is a problem with your request"
        if lang == "en"
        else "Mae'n ddrwg gennym, mae problem gyda'ch cais"
    )


@pytest.mark.parametrize(("lang", "other"), [("en", "cy"), ("cy", "en")])
def test_switching_language_when_the_database_stops_is_a_503_in_the_new_language(
    apps: tuple[Flask, Flask], lead: User, lang: str, other: str
) -> None:
    up, down = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    page = client.get(f"/{lang}/plan/{YEAR}/hallmark-1")
    switch = soup(page).find("a", attrs={"hreflang": other})["href"]
    stopped = same_cookie(client, down)
    for url in (switch, f"/{other}/account/language", f"/{other}/cookies", "/"):
        response = stopped.get(url)
        assert response.status_code in (302, 503), (url, response.status_code)
        if response.status_code == 503:
            assert soup(response).html["lang"] == other


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_other_error_pages_keep_their_status_when_the_database_stops(
    apps: tuple[Flask, Flask], lead: User, lang: str
) -> None:
    up, down = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    stopped = same_cookie(client, down)
    token = csrf_of(client)
    for method, url, status in (
        ("get", f"/{lang}/no-such-page", {404, 503}),
        ("delete", f"/{lang}/cookies", {405, 503}),
        ("post", f"/{lang}/account/language", {400, 503}),
    ):
        response = getattr(stopped, method)(url, data={"csrf_token": "stale"})
        assert response.status_code in status, (url, response.status_code)
        assert soup(response).html["lang"] == lang
    assert token


@pytest.mark.parametrize("nth", [1, 2])
@pytest.mark.parametrize(("lang", "other"), [("en", "cy"), ("cy", "en")])
def test_a_connection_lost_while_switching_language_is_a_503_in_the_new_language(
    apps: tuple[Flask, Flask], lead: User, lang: str, other: str, nth: int
) -> None:
    """The database goes away at the first or second statement of the switch (the signed-in
    user with their session; the plan with its answers: issue 31 made each one statement)."""
    up, _ = apps
    client = up.test_client()
    sign_in_with_csrf(client, lead.email)
    page = client.get(f"/{lang}/plan/{YEAR}/hallmark-1")
    switch = soup(page).find("a", attrs={"hreflang": other})["href"]
    with cut_off(engine_of(up), nth) as matched:
        response = client.get(switch)
    assert len(matched) >= nth
    assert response.status_code == 503
    assert soup(response).html["lang"] == other
    assert client.get(switch).status_code == 200


# The 503 page that keeps what was typed never shows a password (issue 22, point 3).

SECRET = "Horse-battery-staple-77"


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize(
    ("signed_in", "path", "typed"),
    [
        (False, "sign-in", {"email": "lead@school.example", "password": SECRET}),
        (False, "reset-password/" + "t" * 43, {"password": SECRET, "confirm": SECRET}),
        (
            False,
            "invitation/" + "t" * 43,
            {"name": "Alun Jones", "password": SECRET, "confirm": SECRET},
        ),
        (
            True,
            "account/password",
            {"current": SECRET, "password": SECRET + "x", "confirm": SECRET + "x"},
        ),
    ],
    ids=["sign-in", "reset", "invitation", "change"],
)
def test_the_503_page_never_shows_a_password(
    apps: tuple[Flask, Flask],
    lead: User,
    lang: str,
    signed_in: bool,
    path: str,
    typed: dict[str, str],
) -> None:
    up, down = apps
    client = up.test_client()
    if signed_in:
        sign_in_with_csrf(client, lead.email)
    url = f"/{lang}/{path}"
    token = csrf_of(client, f"/{lang}/cookies")
    response = same_cookie(client, down).post(url, data={**typed, "csrf_token": token})
    assert response.status_code == 503
    assert soup(response).html["lang"] == lang
    body = response.get_data(as_text=True)
    assert SECRET not in body
    said = text_of(soup(response).find("main"))
    assert ("type yours again" if lang == "en" else "deipio'ch cyfrinair eto") in said
    # What else was typed is still kept.
    page = soup(response)
    kept = {i["name"]: i["value"] for i in page.find_all("input") if i["name"] != "csrf_token"}
    assert kept == {k: v for k, v in typed.items() if SECRET not in v}


@contextmanager
def database_refusing_connections(url: str) -> Iterator[None]:
    """PostgreSQL as during a restart: the test database takes no new connections and every
    open one is ended (its owner's ALLOW_CONNECTIONS, no pg_hba.conf change), until the block
    ends."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = target.database
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def test_error_pages_while_postgresql_refuses_connections_mid_session(
    app: Flask, make_app: Callable[..., Flask], lead: User
) -> None:
    """The same signed-in browser, before and while its database is away, as an operator saw it
    during a PostgreSQL restart: a 400 stays a 400, a 404 a 404, pages are our 503, all in the
    request's language, none a 500."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL's own refusal of connections")
    served = make_app(WTF_CSRF_ENABLED=True, PROPAGATE_EXCEPTIONS=False)
    client = served.test_client()
    sign_in_with_csrf(client, lead.email)
    assert client.get(f"/en/plan/{YEAR}/").status_code == 200
    stale = {**HALLMARK, "csrf_token": "stale"}
    with database_refusing_connections(url):
        answers = [
            (client.post(f"/en/plan/{YEAR}/hallmark-1", data=stale), 400, "en"),
            (client.post(f"/cy/plan/{YEAR}/hallmark-1", data=stale), 400, "cy"),
            (client.get(f"/cy/plan/{YEAR}/hallmark-1"), 503, "cy"),
            (client.get("/cy/account/language"), 503, "cy"),
            (client.get("/cy/dim-yma"), 404, "cy"),
        ]
        for response, status, lang in answers:
            assert (response.status_code, soup(response).html["lang"]) == (status, lang)
    assert client.get(f"/en/plan/{YEAR}/").status_code == 200
