"""Measure server time per request through the Flask test client, beside two baselines.

    .venv/bin/python scripts/benchmark.py [--requests 500] [--database-url URL]

Baselines, measured in the same run: a bare Flask endpoint that returns a string, and a "floor"
endpoint that only commits a one-row update. Each figure is the median of many requests. The
query count and the response size are of one request. Results go in the README.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wizard import create_app  # noqa: E402
from wizard.data.accounts import hash_password  # noqa: E402
from wizard.data.database import db  # noqa: E402
from wizard.data.directory import load_local_authorities  # noqa: E402
from wizard.data.models import LocalAuthority, School, User  # noqa: E402
from wizard.domain.academic_year import academic_year_of, year_slug  # noqa: E402
from wizard.web.access import Access, allow  # noqa: E402

PASSWORD = "benchmark password"


def build_app(database_url: str, instance: Path) -> Flask:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "TESTING": True,
        }
    )

    @app.get("/bench/bare")
    @allow(Access.PUBLIC)
    def bare() -> str:
        return "ok"

    @app.post("/bench/floor")
    @allow(Access.PUBLIC)
    def floor() -> str:
        db.session.execute(
            update(LocalAuthority)
            .where(LocalAuthority.code == "cardiff")
            .values(name_cy="Caerdydd")
        )
        db.session.commit()
        return "ok"

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_local_authorities()
        authority = db.session.query(LocalAuthority).filter_by(code="cardiff").one()
        school = School(
            school_number="6809999",
            name_en="Benchmark School",
            name_cy="Ysgol Meincnod",
            local_authority=authority,
        )
        db.session.add(school)
        db.session.add(
            User(
                email="bench@school.example",
                name="Bench",
                password_hash=hash_password(PASSWORD),
                school=school,
                is_school_lead=True,
            )
        )
        db.session.commit()
    return app


class QueryCounter:
    def __init__(self, app: Flask) -> None:
        self.count = 0
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *args: object) -> None:
        self.count += 1


def measure(
    name: str, request: Callable[[], object], counter: QueryCounter, repeat: int
) -> dict[str, object]:
    for _ in range(20):  # warm up: templates compiled, connections opened
        request()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        request()
        timings.append(time.perf_counter() - start)
    counter.count = 0
    response = request()
    return {
        "name": name,
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": sorted(timings)[int(len(timings) * 0.95)] * 1000,
        "queries": counter.count,
        "bytes": len(response.get_data()),  # type: ignore[attr-defined]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = build_app(url, Path(tmp))
        counter = QueryCounter(app)
        client = app.test_client()
        client.post("/en/sign-in", data={"email": "bench@school.example", "password": PASSWORD})
        year = year_slug(academic_year_of(date.today()))
        step = f"/en/plan/{year}/about-your-school"
        answers = {
            "phase": "primary",
            "teaching_staff": "24",
            "support_staff": "12",
            "pl_lead": "Catrin",
            "funding_allocation": "12500",
        }
        client.post(step, data={**answers, "revision": "0"})
        revision = {"step": 1, "board": 0}

        def save() -> object:
            response = client.post(step, data={**answers, "revision": str(revision["step"])})
            revision["step"] += 1
            return response

        board = f"/en/plan/{year}/diamond-9/move"
        htmx = {"HX-Request": "true"}
        nine = (
            "card:pedagogy",
            "card:equity",
            "card:assessment",
            "card:well-being",
            "card:welsh-language",
            "card:early-years",
            "card:coaching-and-mentoring",
            "card:digital-competence",
            "card:inclusion",
        )
        for card in nine:
            client.post(
                board,
                data={"version": str(revision["board"]), "card": card, "to": "next"},
                headers=htmx,
            )
            revision["board"] += 1

        def move() -> object:
            # On a full board, well-being (row 3) and coaching (row 4) swap places, over and
            # over: the button "Swap with..." and its chosen card.
            data = {
                "version": str(revision["board"]),
                "m": "card:well-being with:card:coaching-and-mentoring",
            }
            response = client.post(board, data=data, headers=htmx)
            assert response.status_code == 200, response.status_code
            revision["board"] += 1
            return response

        results = [
            measure(
                "bare Flask endpoint", lambda: client.get("/bench/bare"), counter, args.requests
            ),
            measure(
                "floor: commit a one-row update",
                lambda: client.post("/bench/floor"),
                counter,
                args.requests,
            ),
            measure(
                "GET task list", lambda: client.get(f"/en/plan/{year}/"), counter, args.requests
            ),
            measure(
                "GET About your school (cy)",
                lambda: client.get(step.replace("/en/", "/cy/")),
                counter,
                args.requests,
            ),
            measure("POST save About your school", save, counter, args.requests),
            measure(
                "GET check your answers",
                lambda: client.get(step + "/check"),
                counter,
                args.requests,
            ),
            measure(
                "GET Diamond 9 board",
                lambda: client.get(f"/en/plan/{year}/diamond-9"),
                counter,
                args.requests,
            ),
            measure("POST Diamond 9 move (htmx)", move, counter, max(args.requests, 1000)),
        ]
        floor = results[1]["median_ms"]
        print(
            f"Database: {url.split(':', 1)[0]}; {args.requests} requests each; Python {sys.version.split()[0]}"
        )
        print("| request | median ms | p95 ms | x floor | queries | bytes |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            print(
                f"| {r['name']} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['median_ms'] / floor:.1f} | {r['queries']} | {r['bytes']} |"
            )  # type: ignore[operator]
        move_ms = results[-1]["median_ms"]
        print()
        print(
            f"A Diamond 9 move: {move_ms:.2f} ms median over {max(args.requests, 1000)} moves; "
            f"{move_ms / floor:.1f} x the floor, {move_ms / results[0]['median_ms']:.1f} x the bare endpoint; "
            f"{results[-1]['queries']} queries; {results[-1]['bytes']} bytes."
        )


if __name__ == "__main__":
    main()
