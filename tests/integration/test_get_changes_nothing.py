"""A GET never changes what is stored: every route of the URL map, read in Welsh and in English
by everyone who may read it, runs no INSERT, UPDATE or DELETE. (A link, a prefetch or a
crawler makes GETs; only a form's POST may change something.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

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

__all__ = ["world"]  # the fixture, shared with the access matrix

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE)\b", re.IGNORECASE)
# What a read may record, as an access log would: when a share link was last opened (shown to
# the lead beside each link). Nothing anyone chose or wrote.
RECORDS_OF_USE = ("UPDATE share_link SET last_used_at=",)


@contextmanager
def writes(app: Flask) -> Iterator[list[str]]:
    """The writing statements run on the app's engine inside the block."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if WRITE.match(statement) and not statement.startswith(RECORDS_OF_USE):
            seen.append(" ".join(statement.split())[:160])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_no_get_writes_anything(app: Flask, world: World, directory: Directory, lang: str) -> None:
    # And a lead whose school has no plan yet: reading its pages starts none.
    newcomer = directory.user(
        "newcomer@new.example", school=directory.school(name_en="New School"), lead=True
    )
    found: list[str] = []
    for person in (*PEOPLE, "newcomer"):
        client = app.test_client()
        if person == "newcomer":
            sign_in(client, newcomer.email)
        else:
            client = signed_in_as(app, person)
        for rule in sorted(rules(app), key=lambda rule: rule.rule):
            if not row_for(rule).get:
                continue
            url = url_of(world, rule, lang=lang)
            with writes(app) as written:
                client.get(url)
            found += [f"{person} GET {url}: {statement}" for statement in written]
    assert not found, "\n".join(found)


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
