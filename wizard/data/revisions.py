"""Compare-and-set saves of a row that carries a revision: a plan's step, a year-end review's
section, a progress update. One implementation, so that the rule is the same everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from wizard.data.database import db

Row = TypeVar("Row")


@dataclass(frozen=True)
class SaveResult(Generic[Row]):
    saved: bool
    current: Row | None
    """On a stale save, the row as someone else saved it (None if not read back)."""


def answer_values(
    data: dict[str, Any], user_id: int, at: datetime, lang: str | None
) -> dict[str, Any]:
    """What saving a page of answers writes. `lang` is the language the user wrote in; None
    (a save that writes no text of the user's, like a move on the board) keeps the one the
    answers had."""
    return {
        "data": data,
        "updated_at": at,
        "updated_by_id": user_id,
        **({"lang": lang} if lang else {}),
    }


def compare_and_set(
    model: type[Row],
    keys: Mapping[str, Any],
    values: Mapping[str, Any],
    based_on_revision: int,
    *,
    on_insert: Mapping[str, Any] | None = None,
    read_back: bool = True,
) -> SaveResult[Row]:
    """Write `values` to the row of `model` that `keys` (its unique columns) name, if its
    revision is still `based_on_revision`, and add one to the revision.

    Revision 0 means "there was no row when I started": the row is inserted at revision 1
    (with `on_insert` too) in a savepoint, so that of two first saves the loser's
    unique-constraint failure is rolled back to it. Otherwise an UPDATE ... WHERE revision = n,
    so of two saves based on the same revision exactly one changes a row, on SQLite and on
    PostgreSQL alike. On a stale save the transaction is rolled back and (with `read_back`)
    the row is read as it now stands, to tell the user who saved what. On success nothing is
    committed: the caller audits and commits.
    """
    columns: Any = model  # a mapped class, whose columns are its attributes
    where_keys = [getattr(columns, name) == value for name, value in keys.items()]
    if based_on_revision == 0:
        try:
            with db.session.begin_nested():
                db.session.add(columns(**keys, revision=1, **values, **(on_insert or {})))
            saved = True
        except IntegrityError:
            saved = False
    else:
        result = db.session.execute(
            update(columns)
            .where(*where_keys, columns.revision == based_on_revision)
            .values(revision=columns.revision + 1, **values)
            .execution_options(synchronize_session=False)
        )
        saved = result.rowcount == 1  # type: ignore[attr-defined]
    if saved:
        return SaveResult(saved=True, current=None)
    if not read_back:
        db.session.rollback()
        return SaveResult(saved=False, current=None)
    return stale(model, keys)


def stale(model: type[Row], keys: Mapping[str, Any]) -> SaveResult[Row]:
    """A save that lost: roll the transaction back and read the row as it now stands, to
    tell the user who saved what since."""
    db.session.rollback()
    columns: Any = model
    current: Row | None = db.session.scalar(
        select(columns).where(*(getattr(columns, name) == value for name, value in keys.items()))
    )
    return SaveResult(saved=False, current=current)
