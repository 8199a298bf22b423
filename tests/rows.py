"""Every row of the database, kept and put back: a world that is costly to build (plans,
rounds, responses) is built once and then given back, as it was, to each test or example
that starts from it, whatever the one before it changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from wizard.data.database import db


@dataclass(frozen=True)
class Rows:
    tables: dict[str, list[dict[str, Any]]]

    @classmethod
    def of(cls, engine: Engine) -> Rows:
        """Every row of every table of the app's models, read on a connection of its own."""
        with engine.connect() as connection:
            return cls(
                {
                    table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                    for table in db.metadata.sorted_tables
                }
            )

    def put_back(self, engine: Engine) -> None:
        """Make the database hold exactly these rows again (ids and all), in one transaction."""
        with engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            for table in db.metadata.sorted_tables:
                if self.tables[table.name]:
                    connection.execute(table.insert(), self.tables[table.name])
