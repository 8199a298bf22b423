"""Slots for heavy work shared by every process and machine on one PostgreSQL database: at most
N at once, held as session advisory locks on a connection of their own, so a process that dies
gives its slot back with its connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select

from wizard.data.database import db

# The first key of every render slot's advisory lock ("PDF" in ASCII); the second is the slot.
PDF_LOCK_KEY = 0x504446


@contextmanager
def shared_slot(slots: int, key: int = PDF_LOCK_KEY) -> Iterator[bool]:
    """Hold one of `slots` slots for the block: yields True when one was free, else False at
    once (nobody waits). On SQLite (one machine) every request has a slot: the caller's
    per-process cap is the only one."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        for slot in range(slots):
            if connection.scalar(select(func.pg_try_advisory_lock(key, slot))):
                try:
                    yield True
                finally:
                    connection.scalar(select(func.pg_advisory_unlock(key, slot)))
                    connection.commit()
                return
        connection.commit()
        yield False
