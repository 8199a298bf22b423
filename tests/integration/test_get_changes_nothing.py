"""A GET changes nothing but what wizard/web/gets.py lists: every route of the URL map, read in
Welsh and in English by everyone in the access matrix, runs no other INSERT, UPDATE or DELETE,
leaves every table as it was (but the listed columns), and changes no other key of the cookie
session. (A link, a prefetch or a crawler makes GETs; only a form's POST may change
something.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from werkzeug.routing import Rule

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.integration.test_access_matrix import (
    PEOPLE,
    World,
    row_for,
    rules,
    signed_in_as,
    url_of,
    world,
)
from wizard.data.database import db
from wizard.data.models import User
from wizard.web.gets import (
    COOKIE_WRITES,
    DATABASE_WRITES,
    allowed_cookie_write,
    allowed_database_write,
)

__all__ = ["world"]  # the fixture, shared with the access matrix

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE)\b", re.IGNORECASE)
# The column each listed database write sets: left out of the before-and-after comparison.
SETS = re.compile(r"^UPDATE (\w+) SET (\w+)=")


@contextmanager
def writes(app: Flask) -> Iterator[list[str]]:
    """The writing statements run on the app's engine inside the block."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if WRITE.match(statement):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def cookie_session(client: FlaskClient) -> dict[str, Any]:
    with client.session_transaction() as session:
        return dict(session)


def everything_stored(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, without the columns a listed GET may set."""
    skipped = {
        found.groups() for write in DATABASE_WRITES if (found := SETS.match(write.statement))
    }
    with app.app_context():
        stored = {}
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in skipped]
            rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns))
            stored[table.name] = [tuple(map(repr, row)) for row in rows]
        db.session.rollback()
    return stored


@dataclass
class Walk:
    """What the GETs changed that they may not, and which listed writes they made."""

    forbidden: list[str] = field(default_factory=list)
    listed: set[tuple[str, str]] = field(default_factory=set)

    def get(self, app: Flask, client: FlaskClient, endpoint: str, url: str, who: str) -> None:
        before = cookie_session(client)
        with writes(app) as written:
            client.get(url)
        for statement in written:
            if allowed_database_write(endpoint, statement):
                self.listed.add((endpoint, statement.split("=", 1)[0] + "="))
            else:
                self.forbidden.append(f"{who} GET {url}: {statement[:160]}")
        after = cookie_session(client)
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        self.forbidden += [
            f"{who} GET {url}: the cookie session's {key!r}"
            for key in sorted(changed)
            if not allowed_cookie_write(key)
        ]


# Who reads: everyone in the access matrix, a lead whose school has no plan yet (reading its
# pages starts none), and an anonymous browser with every kind of share and round token. Each is
# a test of its own, from the world as built, so that a parallel run's workers share the walk.
READERS = (*PEOPLE, "newcomer", "tokens")


def get_rules(app: Flask) -> list[Rule]:
    return sorted((r for r in rules(app) if row_for(r).get), key=lambda rule: rule.rule)


def reader_client(app: Flask, directory: Directory, reader: str) -> FlaskClient:
    """A browser signed in as the reader (the newcomer and their school are made here)."""
    if reader == "newcomer":
        newcomer = directory.user(
            "newcomer@new.example", school=directory.school(name_en="New School"), lead=True
        )
        client = app.test_client()
        sign_in(client, newcomer.email)
        return client
    return signed_in_as(app, "anonymous" if reader == "tokens" else reader)


def walk_as(app: Flask, world: World, client: FlaskClient, reader: str, lang: str) -> Walk:
    """Every GET route, read by `reader` in `lang` (with every kind of token, for "tokens")."""
    walk = Walk()
    for rule in get_rules(app):
        if reader != "tokens":
            walk.get(app, client, rule.endpoint, url_of(world, rule, lang=lang), reader)
            continue
        kinds: dict[str, str] = {}
        if row_for(rule).share:
            kinds = {**world.tokens, "other school's": world.other_token}
        elif row_for(rule).voice:
            kinds = world.voice
        for kind, token in kinds.items():
            url = url_of(world, rule, lang=lang, token=token)
            walk.get(app, client, rule.endpoint, url, f"anonymous with a {kind} token")
    return walk


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("lang", ["cy", "en"])
def test_no_get_changes_anything_but_the_listed_records_of_use(
    app: Flask, world: World, directory: Directory, lang: str, reader: str
) -> None:
    """Every GET route of the access matrix, read by one reader: no write but those
    wizard/web/gets.py lists, nothing stored changed but their columns, and no key of the
    cookie session but those it lists."""
    client = reader_client(app, directory, reader)
    stored = everything_stored(app)
    walk = walk_as(app, world, client, reader, lang)
    assert not walk.forbidden, "\n".join(walk.forbidden)
    assert everything_stored(app) == stored
    if reader == "tokens":
        # The list holds nothing that no GET does: each listed write is made by a GET with a
        # token.
        assert walk.listed == {
            (endpoint, write.statement) for write in DATABASE_WRITES for endpoint in write.endpoints
        }


def test_the_list_says_why_of_each_entry() -> None:
    for write in DATABASE_WRITES:
        assert write.endpoints and write.statement and write.why
        assert SETS.match(write.statement), "a listed write sets one column: " + write.statement
    assert all(why for why in COOKIE_WRITES.values())
    assert not allowed_cookie_write("_user_id")
    assert allowed_cookie_write("staff-voice-sitting-12")
    assert not allowed_database_write("shared.page", "DELETE FROM share_link")
    assert not allowed_database_write("plan.hub", DATABASE_WRITES[0].statement + "now")


def test_a_welsh_page_leaves_the_stored_language_alone(app: Flask, lead: User) -> None:
    client = app.test_client()
    sign_in(client, lead.email)
    assert client.post("/en/account/language", data={"language": "en"}).status_code == 302
    page = client.get("/cy/account/")
    assert soup(page).find("html")["lang"] == "cy"  # the page itself is in Welsh
    db.session.rollback()
    assert db.session.scalar(select(User.locale).where(User.id == lead.id)) == "en"
    # This browser still goes on in the language it last read.
    assert client.get("/").headers["Location"] == "/cy/"
    # The preference changes by the account page's form only.
    assert client.post("/cy/account/language", data={"language": "cy"}).status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(User.locale).where(User.id == lead.id)) == "cy"
