"""`make bench`: server time, size and query count of every kind of request, at the scale of Wales.

    .venv/bin/python scripts/bench.py [--requests 200] [--database-url URL] [--gunicorn]
                                      [--schools 1500] [--output-dir DIR]
                                      [--profile NAME] [--sections NAME]
                                      [--only NAME[,NAME...]]

The database (a fresh SQLite file unless --database-url names an EMPTY database) is migrated
and filled with the scale of Wales (`seed-wales`: 1,500 schools in 200 clusters, each with a
submitted plan), then a benchmark school with a whole plan, its lead, a coordinator of a
cluster of average size and an administrator are added.

Every request is measured in the same run beside two baselines: a bare Flask endpoint that
returns a string, and a "floor" endpoint that commits a one-row update. Both exist only in the
app this script builds; the production app never registers them. Each figure is reported as a
ratio to them, because absolute times on shared machines are noisy. The requests are
interleaved: each round sends every request once (in the opposite order every other round), so
that a change in the machine's load during the run weighs on every request alike.

The app is measured as users get it: CSRF protection is on, so every page carries its hidden
token and every POST is checked. Like a browser, each POST first loads its page (not timed) and
sends back the page's `csrf_token` and revision; an htmx request sends the token in the
X-CSRFToken header, as static/src/app.mjs does. Only the floor endpoint is exempt.

In-process (always): the Flask test client, timing each call. Under gunicorn (--gunicorn,
with --database-url a PostgreSQL URL): one gunicorn sync worker serving the same app over
HTTP; the server time is measured inside the worker (from the WSGI call to the end of the
response body) and sent back in a header, so the client's own time is left out.

The table (medians with no profiler running) goes to benchmarks/<date>.md (--output-dir to put
it elsewhere), never into the README. Only on request: --profile NAME runs that request under
pyinstrument and prints where the time goes (a profiler slows Python three to four times, so
use it to find where, never for how much); --sections NAME times named parts of that request
(the user's load, the plan's, rendering, SQL, the save...) with plain timers and prints the
median of each per request.

--only NAME[,NAME...] measures only the requests named (case ignored; a request's whole name
picks it alone, any other NAME every request whose name contains it: `--only "hallmark,GET
plan summary"`), beside the bare endpoint and the floor, which are
always measured: for comparing a change on a few pages without the whole run. Its table (with
the targets of the requests measured) is printed, and written to <output-dir>/<date>-only.md
only when --output-dir is given, so that it never replaces the day's full table.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import os
import posixpath
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, select, update

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT))

from tests.conftest import ParsingClient  # noqa: E402
from tests.plans import LINE, complete_plan  # noqa: E402
from wizard import create_app  # noqa: E402
from wizard.data.accounts import hash_password  # noqa: E402
from wizard.data.database import db  # noqa: E402
from wizard.data.models import (  # noqa: E402
    Cluster,
    LocalAuthority,
    Plan,
    PlanVersion,
    School,
    User,
)
from wizard.data.sharing import create_share_link  # noqa: E402
from wizard.domain.academic_year import academic_year_of, year_slug  # noqa: E402
from wizard.seed.wales import seed_wales  # noqa: E402
from wizard.web.access import Access, allow  # noqa: E402
from wizard.web.extensions import csrf  # noqa: E402

PASSWORD = "benchmark password"
SECRET = "benchmark secret key, not for production"
TIME_HEADER = "X-Bench-Server-Ms"
CPU_HEADER = "X-Bench-Server-Cpu-Ms"
LEAD = "bench-lead@school.example"
COORDINATOR = "bench-coordinator@cluster.example"
ADMIN = "bench-admin@wales.example"
REVISION = re.compile(r'name="revision"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="revision"')
CSRF_TOKEN = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
    r'|<meta name="csrf-token" content="([^"]+)"'
)
BOARD_VERSION = re.compile(r'id="diamond-board"[^>]*data-version="(\d+)"')
PLACED_CARD = re.compile(
    r'class="app-card(?: app-card--moved)?" id="card-[^"]+" data-card="([^"]+)"'
)


class ServerTimer:
    """WSGI middleware: the time from the call to the end of the body, in a header (gunicorn)
    and in `last_ms` (in-process); and the CPU time the request's thread spent in that time
    (`last_cpu_ms`), which a busy machine's other work barely changes, where it stretches the
    wall time (but which leaves out the time PostgreSQL itself spends, in its own process)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last_ms = 0.0
        self.last_cpu_ms = 0.0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        started = time.perf_counter()
        started_cpu = time.thread_time()
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        self.last_ms = (time.perf_counter() - started) * 1000
        self.last_cpu_ms = (time.thread_time() - started_cpu) * 1000
        headers = [
            *captured["headers"],
            (TIME_HEADER, f"{self.last_ms:.3f}"),
            (CPU_HEADER, f"{self.last_cpu_ms:.3f}"),
        ]
        start_response(captured["status"], headers, captured["exc_info"])
        return [body]


def bench_app(database_url: str | None = None, *, csrf_protection: bool = True) -> Flask:
    """The app with the two baseline endpoints (gunicorn: `bench:bench_app()`), with CSRF
    protection on as in production (`csrf_protection=False` only for seeding the plan)."""
    url = database_url or os.environ["BENCH_DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "WTF_CSRF_ENABLED": csrf_protection,
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "STATIC_BUILD_DIR": str(ROOT / "build" / "static"),
        }
    )

    @app.get("/bench/bare")
    @allow(Access.PUBLIC)
    def bare() -> str:
        return "ok"

    @app.post("/bench/floor")
    @allow(Access.PUBLIC)
    @csrf.exempt
    def floor() -> str:
        db.session.execute(
            update(LocalAuthority)
            .where(LocalAuthority.code == "cardiff")
            .values(name_cy="Caerdydd")
        )
        db.session.commit()
        return "ok"

    app.wsgi_app = ServerTimer(app.wsgi_app)  # type: ignore[method-assign]
    return app


@dataclass
class World:
    year: str
    cluster_id: int
    cluster_schools: int
    small_cluster_id: int
    small_cluster_schools: int
    share_token: str
    line_id: str
    version_school_id: int
    """A school of the cluster with a submitted version (seed-wales's), for its PDF and Word
    file as the coordinator downloads them: made once, then from the cache."""


def seed(app: Flask, schools: int) -> World:
    """The scale of Wales, then the benchmark's own school, users and plan (`app`: one with
    CSRF protection off, as tests.plans.complete_plan posts without tokens)."""
    academic_year = academic_year_of(date.today())
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        report = seed_wales(schools, max(1, schools * 2 // 15), 0.1, academic_year)
        print(
            f"seed-wales: {report.schools} schools, {report.clusters} clusters, "
            f"{report.versions} versions in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        sizes = {
            cluster.id: len(cluster.schools)
            for cluster in db.session.scalars(select(Cluster))
            if cluster.schools
        }
        ordered = sorted(sizes, key=lambda c: (sizes[c], c))
        cluster = db.session.get(Cluster, ordered[len(ordered) // 2])
        small = ordered[0]
        assert cluster is not None
        school = School(
            school_number="6809999",
            name_en="Benchmark School",
            name_cy="Ysgol Meincnod",
            local_authority_id=cluster.local_authority_id,
            cluster=cluster,
        )
        db.session.add(school)
        password = hash_password(PASSWORD)
        db.session.add_all(
            [
                User(
                    email=LEAD,
                    name="Bench Lead",
                    password_hash=password,
                    school=school,
                    is_school_lead=True,
                ),
                User(
                    email=COORDINATOR,
                    name="Bench Coordinator",
                    password_hash=password,
                    coordinated_clusters=[cluster],
                ),
                User(email=ADMIN, name="Bench Admin", password_hash=password, is_admin=True),
            ]
        )
        db.session.commit()
        cluster_id, cluster_schools = cluster.id, sizes[cluster.id] + 1
    year = year_slug(academic_year)
    app.test_client_class = ParsingClient
    client = signed_in(app, LEAD)
    app.test_client_class = FlaskClient
    complete_plan(client, year)
    funding = client.get(f"/en/plan/{year}/funding-plan").get_data(as_text=True)
    found = re.search(r"/funding-plan/lines/([A-Za-z0-9_-]+)\"", funding)
    line_id = next(
        m for m in re.findall(r"/funding-plan/lines/([A-Za-z0-9_-]+)", funding) if m != "new"
    )
    assert found is not None
    with app.app_context():
        lead = db.session.scalars(select(User).where(User.email == LEAD)).one()
        plan = db.session.scalars(select(Plan).where(Plan.school_id == lead.school_id)).one()
        token = create_share_link(plan, lead, shows_draft=True, expires_on=None)
        version_school_id = db.session.scalars(
            select(Plan.school_id)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            .join(School, School.id == Plan.school_id)
            .where(School.cluster_id == cluster_id, Plan.academic_year == academic_year)
            .order_by(Plan.school_id)
            .limit(1)
        ).one()
    return World(
        year, cluster_id, cluster_schools, small, sizes[small], token, line_id, version_school_id
    )


def csrf_token_of(page: bytes | str) -> str:
    """The CSRF token a page carries (its form's hidden field, or the meta tag htmx reads)."""
    text = page.decode() if isinstance(page, bytes) else page
    found = CSRF_TOKEN.search(text)
    assert found is not None, "the page carries no CSRF token"
    return next(group for group in found.groups() if group)


def signed_in(app: Flask, email: str) -> FlaskClient:
    """A client signed in through the sign-in form, with its CSRF token, as a browser is."""
    client = app.test_client()
    form = client.get("/en/sign-in").get_data()
    data = {"email": email, "password": PASSWORD}
    if app.config["WTF_CSRF_ENABLED"]:
        data["csrf_token"] = csrf_token_of(form)
    response = client.post("/en/sign-in", data=data)
    assert response.status_code == 302, (email, response.status_code)
    return client


@dataclass
class Reply:
    status: int
    body: bytes
    server_ms: float
    cpu_ms: float


class Transport:
    """Sends a request and returns the reply with the server's own time."""

    def get(self, who: str, url: str, headers: dict[str, str] | None = None) -> Reply:
        raise NotImplementedError

    def post(
        self, who: str, url: str, data: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Reply:
        raise NotImplementedError


class InProcess(Transport):
    def __init__(self, app: Flask, clients: dict[str, FlaskClient]) -> None:
        self.timer: ServerTimer = app.wsgi_app  # type: ignore[assignment]
        self.clients = clients

    def _reply(self, response: Any) -> Reply:
        body = response.get_data()
        response.close()
        return Reply(response.status_code, body, self.timer.last_ms, self.timer.last_cpu_ms)

    def get(self, who: str, url: str, headers: dict[str, str] | None = None) -> Reply:
        return self._reply(self.clients[who].get(url, headers=headers))

    def post(
        self, who: str, url: str, data: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Reply:
        return self._reply(self.clients[who].post(url, data=data, headers=headers))


class OverHttp(Transport):
    """HTTP/1.1 to gunicorn (whose sync worker closes each connection, so http.client opens a
    new one per request, as the research's client did), each user starting from the session
    cookie of its test client and keeping the cookies the server sets, as a browser does."""

    def __init__(self, port: int, clients: dict[str, FlaskClient]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, dict[str, str]] = {}
        for who, client in clients.items():
            cookie = client.get_cookie("session")
            self.cookies[who] = {"session": cookie.value} if cookie else {}

    def _send(self, method: str, who: str, url: str, body: bytes | None, headers: Any) -> Reply:
        jar = self.cookies[who]
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, url, body=body, headers=sent)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    jar[name] = morsel.value
                else:
                    jar.pop(name, None)
        return Reply(
            response.status,
            data,
            float(response.getheader(TIME_HEADER) or "nan"),
            float(response.getheader(CPU_HEADER) or "nan"),
        )

    def get(self, who: str, url: str, headers: dict[str, str] | None = None) -> Reply:
        return self._send("GET", who, url, None, headers)

    def post(
        self, who: str, url: str, data: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Reply:
        return self._send("POST", who, url, urlencode(data, doseq=True).encode(), headers)


@dataclass
class Case:
    name: str
    kind: str  # "baseline", "get", "write", "partial"
    send: Callable[[Transport], Reply]
    prepare: Callable[[Transport], None] = field(default=lambda transport: None)
    """Not timed: what a browser has done before the request (loaded the form it posts)."""
    expect: tuple[int, ...] = (200,)


@dataclass
class Result:
    name: str
    kind: str
    median_ms: float
    p95_ms: float
    queries: int
    raw: int
    gzipped: int
    cpu_ms: float = float("nan")
    """The median CPU time of the request's thread (the worker's own work, not PostgreSQL's)."""


def cases(world: World) -> list[Case]:
    base = f"/en/plan/{world.year}"
    cy = f"/cy/plan/{world.year}"
    version_base = f"/en/clusters/{world.cluster_id}/schools/{world.version_school_id}/{world.year}"
    htmx = {"HX-Request": "true"}
    about = {
        "phase": "primary",
        "teaching_staff": "24",
        "support_staff": "12",
        "pl_lead": "Catrin",
        "funding_allocation": "12500",
    }
    state: dict[str, Any] = {}

    def revision_of(url: str) -> Callable[[Transport], None]:
        """Load the form as the lead (through the same transport and session as the POST):
        its revision and its CSRF token."""

        def read(transport: Transport) -> None:
            page = transport.get("lead", url).body.decode()
            found = REVISION.search(page)
            state["revision"] = (found.group(1) or found.group(2)) if found else "0"
            state["csrf"] = csrf_token_of(page)

        return read

    def board_version(transport: Transport) -> None:
        page = transport.get("lead", f"{base}/diamond-9").body.decode()
        found = BOARD_VERSION.search(page)
        assert found is not None
        state["version"] = found.group(1)
        state["csrf"] = csrf_token_of(page)
        placed = PLACED_CARD.findall(page)
        assert len(placed) >= 2, "the benchmark school's board must hold two cards"
        # Two placed cards swap places, over and over ("Swap with..." and the chosen card).
        state["swap"] = f"{placed[0]} with:{placed[1]}"

    line_url = f"{base}/funding-plan/lines/{world.line_id}"
    dashboard = f"/en/clusters/{world.cluster_id}?year={world.year}"
    amounts = itertools.cycle(["600", "650"])

    return [
        Case("bare Flask endpoint", "baseline", lambda t: t.get("lead", "/bench/bare")),
        Case(
            "floor: commit a one-row update",
            "baseline",
            lambda t: t.post("lead", "/bench/floor", {}),
        ),
        Case("GET start page", "get", lambda t: t.get("anonymous", "/en/")),
        Case("GET task list", "get", lambda t: t.get("lead", f"{base}/")),
        Case(
            "GET step: About your school (cy)",
            "get",
            lambda t: t.get("lead", f"{cy}/about-your-school"),
        ),
        Case("GET step: a context", "get", lambda t: t.get("lead", f"{base}/context-school")),
        Case("GET step: a hallmark", "get", lambda t: t.get("lead", f"{base}/hallmark-3")),
        Case(
            "POST save About your school",
            "write",
            lambda t: t.post(
                "lead",
                f"{base}/about-your-school",
                {**about, "revision": state["revision"], "csrf_token": state["csrf"]},
            ),
            revision_of(f"{base}/about-your-school"),
            (302,),
        ),
        Case(
            "POST save a hallmark",
            "write",
            lambda t: t.post(
                "lead",
                f"{base}/hallmark-3",
                {
                    "rating": "developing",
                    "evidence": "Lesson visits",
                    "next_steps": "Coaching",
                    "revision": state["revision"],
                    "csrf_token": state["csrf"],
                },
            ),
            revision_of(f"{base}/hallmark-3"),
            (302,),
        ),
        Case(
            "GET check answers (a task)", "get", lambda t: t.get("lead", f"{base}/hallmarks/check")
        ),
        Case(
            "GET check answers (the plan)",
            "get",
            lambda t: t.get("lead", f"{base}/check-your-answers"),
        ),
        Case("GET Diamond 9 board", "get", lambda t: t.get("lead", f"{base}/diamond-9")),
        Case(
            "POST Diamond 9 move (htmx)",
            "write",
            lambda t: t.post(
                "lead",
                f"{base}/diamond-9/move",
                {"version": state["version"], "m": state["swap"]},
                {**htmx, "X-CSRFToken": state["csrf"]},
            ),
            board_version,
        ),
        Case("GET funding plan", "get", lambda t: t.get("lead", f"{base}/funding-plan")),
        Case(
            "GET funding live total (htmx)",
            "partial",
            lambda t: t.get("lead", f"{base}/funding-plan/total?amount=750", htmx),
        ),
        Case(
            "POST save a funding line",
            "write",
            lambda t: t.post(
                "lead",
                line_url,
                {
                    **LINE,
                    "amount": next(amounts),
                    "revision": state["revision"],
                    "csrf_token": state["csrf"],
                },
            ),
            revision_of(line_url),
            (302,),
        ),
        Case("GET plan summary", "get", lambda t: t.get("lead", f"{base}/summary")),
        Case("GET plan summary PDF", "pdf", lambda t: t.get("lead", f"{base}/summary.pdf")),
        Case(
            "GET plan summary Word file (draft)",
            "pdf",
            lambda t: t.get("lead", f"{base}/summary.docx"),
        ),
        Case(
            "GET submitted version PDF (cached)",
            "get",
            lambda t: t.get("coordinator", f"{version_base}/plan.pdf"),
        ),
        Case(
            "GET submitted version Word file (cached)",
            "get",
            lambda t: t.get("coordinator", f"{version_base}/plan.docx"),
        ),
        Case(
            f"GET cluster dashboard ({world.cluster_schools} schools)",
            "get",
            lambda t: t.get("coordinator", dashboard),
        ),
        Case(
            "GET cluster schools CSV",
            "get",
            lambda t: t.get(
                "coordinator", f"/en/clusters/{world.cluster_id}/{world.year}/schools.csv"
            ),
        ),
        Case(
            "GET cluster funding CSV",
            "get",
            lambda t: t.get(
                "coordinator", f"/en/clusters/{world.cluster_id}/{world.year}/funding.csv"
            ),
        ),
        Case("GET national view (all Wales)", "get", lambda t: t.get("admin", "/en/national")),
        Case(
            "GET shared plan (share link)",
            "get",
            lambda t: t.get("anonymous", f"/en/shared/{world.share_token}"),
        ),
    ]


PDF_EVERY = 20
"""The PDF and the draft's Word file (hundreds of ms each) are sent every 20th round."""


def send_checked(case: Case, transport: Transport) -> Reply:
    case.prepare(transport)
    reply = case.send(transport)
    assert reply.status in case.expect, (case.name, reply.status)
    return reply


def measure(
    every: list[Case], transport: Transport, counter: list[int], repeat: int
) -> list[Result]:
    """Each case `repeat` times (the PDFs repeat // 20), interleaved: each round sends every
    case once, in the opposite order every other round. Every reply's status is checked (a
    CSRF failure is a 400). Then each case once more, its SQL statements counted."""
    for case in every:  # warm up: templates compiled, connections opened
        for _ in range(min(10, repeat)):
            send_checked(case, transport)
    timings: dict[str, list[float]] = {case.name: [] for case in every}
    cpu: dict[str, list[float]] = {case.name: [] for case in every}
    for round_ in range(repeat):
        for case in every if round_ % 2 == 0 else reversed(every):
            if case.kind == "pdf" and round_ % PDF_EVERY:
                continue
            reply = send_checked(case, transport)
            timings[case.name].append(reply.server_ms)
            cpu[case.name].append(reply.cpu_ms)
    results = []
    for case in every:
        case.prepare(transport)
        counter[0] = 0
        reply = case.send(transport)
        queries = counter[0]
        measured = sorted(timings[case.name])
        results.append(
            Result(
                case.name,
                case.kind,
                statistics.median(measured),
                measured[min(len(measured) - 1, int(len(measured) * 0.95))],
                queries,
                len(reply.body),
                len(gzip.compress(reply.body, 6)),
                statistics.median(cpu[case.name]),
            )
        )
    return results


def table(results: list[Result], title: str, with_queries: bool = True) -> list[str]:
    bare = next(r for r in results if r.name.startswith("bare"))
    floor = next(r for r in results if r.name.startswith("floor")).median_ms
    lines = [
        f"**{title}**",
        "",
        "| request | median ms | p95 ms | x bare | x floor | CPU ms | CPU x bare | queries "
        "| bytes | gzipped |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.median_ms / bare.median_ms:.1f} "
            f"| {r.median_ms / floor:.1f} | {r.cpu_ms:.2f} | {r.cpu_ms / bare.cpu_ms:.1f} "
            f"| {r.queries if with_queries else '-'} | {r.raw} | {r.gzipped} |"
        )
    return lines


BARE = "bare Flask endpoint"
FLOOR = "floor: commit a one-row update"
PAGES_WITHIN_15 = (
    "GET task list",
    "GET check answers",
    "GET Diamond 9 board",
    "GET plan summary",
)
"""Pages held to 15 x bare besides the steps (issue 31); not the PDF or the Word file."""
WRITES_WITHIN_2_5 = (
    "POST save About your school",
    "POST save a hallmark",
    "POST save a funding line",
    "POST Diamond 9 move (htmx)",
)


@dataclass(frozen=True)
class Target:
    what: str
    target: str
    measured: str
    met: bool


def targets(results: list[Result]) -> list[Target]:
    """Issue 31's targets (ratios to the bare endpoint or the floor of the same run, or
    milliseconds), then the design's sizes, each met or missed. Only the requests measured are
    checked (a run with --only measures a few)."""
    by = {r.name: r for r in results}
    return _time_targets(results, by) + _size_targets(results, by)


def _time_targets(results: list[Result], by: dict[str, Result]) -> list[Target]:
    bare = by[BARE].median_ms
    floor = by[FLOOR].median_ms
    checks: list[Target] = []

    def ratio(r: Result, to: float, name: str, most: float) -> None:
        value = r.median_ms / to
        checks.append(Target(r.name, f"<= {most:g} x {name}", f"{value:.1f} x", value <= most))

    for r in results:
        if r.name.startswith("GET step") or (
            r.kind == "get" and r.name.startswith(PAGES_WITHIN_15)
        ):
            ratio(r, bare, "bare", 15)
    for name in WRITES_WITHIN_2_5:
        if name in by:
            ratio(by[name], floor, "floor", 2.5)
    if "GET funding live total (htmx)" in by:
        ratio(by["GET funding live total (htmx)"], bare, "bare", 5)
    for r in results:
        if r.name.startswith(("GET cluster dashboard", "GET national")):
            checks.append(Target(r.name, "< 30 ms", f"{r.median_ms:.1f} ms", r.median_ms < 30))
    if "GET submitted version PDF (cached)" in by:
        kept = by["GET submitted version PDF (cached)"].median_ms
        checks.append(
            Target("GET submitted version PDF (cached)", "< 20 ms", f"{kept:.1f} ms", kept < 20)
        )
    return checks


def _size_targets(results: list[Result], by: dict[str, Result]) -> list[Target]:
    """The design's sizes and the draft PDF's time."""
    checks: list[Target] = []
    if "POST Diamond 9 move (htmx)" in by:
        move = by["POST Diamond 9 move (htmx)"]
        checks.append(Target(move.name, "< 5 KB", f"{move.raw / 1024:.1f} KB", move.raw < 5 * 1024))
    for r in results:
        if r.name.startswith("GET step"):
            checks.append(
                Target(r.name, "HTML < 30 KB", f"{r.raw / 1024:.1f} KB", r.raw < 30 * 1024)
            )
    if "GET plan summary PDF" in by:
        pdf = by["GET plan summary PDF"].median_ms
        checks.append(
            Target("GET plan summary PDF (a draft)", "< 1 s", f"{pdf:.0f} ms", pdf < 1000)
        )
    return checks


def targets_table(checks: list[Target]) -> list[str]:
    met = sum(check.met for check in checks)
    lines = [
        f"{met} of {len(checks)} targets met.",
        "",
        "| request | target | measured | met |",
        "| --- | --- | ---: | --- |",
    ]
    lines += [
        f"| {c.what} | {c.target} | {c.measured} | {'met' if c.met else '**missed**'} |"
        for c in checks
    ]
    return lines


# What a step page and the Diamond 9 board name in their HTML (<link rel="stylesheet"> and
# <script src>); tests/integration/test_static_files.py checks both against the pages.
STEP_PAGE_ASSETS = ("css/app.css", "js/js-enabled.js", "vendor/htmx-2.0.11.min.js", "js/app.mjs")
BOARD_PAGE_ASSETS = (*STEP_PAGE_ASSETS[:1], "css/board.css", *STEP_PAGE_ASSETS[1:])
# Modules imported with import() on each page, by the start of their name: app.mjs imports the
# board's own script on the board, and GOV.UK Frontend's form fields' module on a page with
# one (a step; not the board). The test checks this against each page's markup.
DYNAMIC_IMPORTS = {
    "board": ("js/diamond.mjs",),
    "step": ("vendor/govuk-frontend-6.3.0-forms-",),
}
_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*(\()?\s*["'](\.{1,2}/[^"']+)["']""")


def page_assets(names: tuple[str, ...], page: str) -> list[str]:
    """The files a page names, with every module they import (statically, or dynamically on
    that page), as static/ names."""
    found: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name in found:
            continue
        found.append(name)
        if name.endswith((".mjs", ".js")):
            for dynamic, ref in _IMPORT.findall((ROOT / "static" / name).read_text()):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), ref))
                if not dynamic or target.startswith(DYNAMIC_IMPORTS[page]):
                    todo.append(target)
    return found


def asset_weights() -> list[str]:
    """CSS + JavaScript gzipped (from the static build) on a step page and on the board."""
    from wizard.web.assets import build_static

    folder = ROOT / "build" / "static"
    manifest = build_static(folder)

    def gz(name: str) -> int:
        path = folder / f"{manifest[name]}.gz"
        return len(path.read_bytes()) if path.exists() else (folder / manifest[name]).stat().st_size

    step = page_assets(STEP_PAGE_ASSETS, "step")
    board = page_assets(BOARD_PAGE_ASSETS, "board")
    lines = ["| file | gzipped bytes |", "| --- | ---: |"]
    lines += [f"| {name} | {gz(name)} |" for name in dict.fromkeys([*step, *board])]
    step_total = sum(gz(n) for n in step)
    board_total = sum(gz(n) for n in board)
    for page, total, most in (("a step page", step_total, 30), ("the board", board_total, 40)):
        verdict = "met" if total < most * 1024 else "**missed**"
        lines.append(f"| **CSS + JS on {page}** (target < {most} KB: {verdict}) | {total} |")
    return lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn(database_url: str) -> Iterator[int]:
    """One gunicorn worker serving bench_app() on a free port, until the generator closes."""
    port = free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--chdir",
            str(ROOT / "scripts"),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench:bench_app()",
        ],
        env=env,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def find_case(world: World, name: str) -> Case:
    found = [c for c in cases(world) if name.lower() in c.name.lower()]
    if not found:
        raise SystemExit(f"no request named like {name!r}")
    return found[0]


def profile(world: World, transport: Transport, name: str, repeat: int) -> None:
    """pyinstrument over one request: where the time goes, never how much (a profiler slows
    rendering, which makes many Python calls, three to four times more than waiting on SQL)."""
    from pyinstrument import Profiler

    case = find_case(world, name)
    for _ in range(10):
        send_checked(case, transport)
    profiler = Profiler(interval=0.0005)
    for _ in range(repeat):
        case.prepare(transport)
        profiler.start()
        case.send(transport)
        profiler.stop()
    print(profiler.output_text(unicode=True, show_all=os.environ.get("BENCH_PROFILE_ALL") == "1"))


class Sections:
    """Plain timers (perf_counter) around named parts of a request, summed per request: how
    much each part takes with no profiler's slowing. The parts nest (SQL is inside the user's
    load, the plan's and the save), so they do not add up to the request."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def timed(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(label, (time.perf_counter() - started) * 1000)

        return timed

    def add(self, label: str, ms: float) -> None:
        self.spent[label] = self.spent.get(label, 0.0) + ms
        self.calls[label] = self.calls.get(label, 0) + 1

    def patch(self, label: str, owner: Any, attribute: str) -> None:
        """Time `owner.attribute`, and every module of the app that imported it by name."""
        original = getattr(owner, attribute)
        wrapper = self.timed(label, original)
        setattr(owner, attribute, wrapper)
        for module in list(sys.modules.values()):
            if module is None or not module.__name__.startswith(("wizard", "flask")):
                continue
            for name, value in list(vars(module).items()):
                if value is original:
                    setattr(module, name, wrapper)

    def instrument(self, app: Flask) -> None:
        import flask.templating
        from flask_wtf import FlaskForm
        from sqlalchemy.orm import Session

        from wizard.data import accounts, audit, boards, plans
        from wizard.web.extensions import login_manager

        self.patch(
            "user: the user loader (session, cookie, query)", login_manager, "_user_callback"
        )
        self.patch("user: accounts.user_of_session (its query)", accounts, "user_of_session")
        # What loads the plan: the steps, the task list and the summary read the plan and its
        # answers; the board, a move and the funding pages read them with the own cards in
        # one statement; the summary, versions and history read the own cards apart.
        self.patch("plan: plans.plan_and_answers (its query)", plans, "plan_and_answers")
        self.patch(
            "plan: plans.plan_answers_and_cards (one query, with the own cards)",
            plans,
            "plan_answers_and_cards",
        )
        self.patch("cards: boards.own_cards (their query, read apart)", boards, "own_cards")
        self.patch("render: flask render_template (whole page)", flask.templating, "_render")
        self.patch("form: validate_on_submit", FlaskForm, "validate_on_submit")
        self.patch("save: plans.save_step", plans, "save_step")
        # On PostgreSQL a save based on revision > 0 locks the draft, saves and audits in one
        # statement; SQLite, and a first save (revision 0), lock, save and audit apart.
        self.patch(
            "save: plans._lock_save_and_audit (PostgreSQL: lock, save and audit in one)",
            plans,
            "_lock_save_and_audit",
        )
        self.patch("save: plans.lock_draft (SQLite, or a first save)", plans, "lock_draft")
        self.patch("save: audit.record (SQLite, or a first save)", audit, "record")
        self.patch("sql: session.commit", Session, "commit")
        self.patch("session: open the cookie", type(app.session_interface), "open_session")
        flask_app = type(app)
        self.patch(
            "flask: before-request hooks (with the user's load)", flask_app, "preprocess_request"
        )
        self.patch("flask: the view (with its rendering)", flask_app, "dispatch_request")
        self.patch(
            "flask: after-request hooks and the session cookie", flask_app, "process_response"
        )
        started: list[float] = []

        def before(*args: Any) -> None:
            started.append(time.perf_counter())

        def after(*args: Any) -> None:
            self.add(
                "sql: cursor execute (every statement)",
                (time.perf_counter() - started.pop()) * 1000,
            )

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", before)
            event.listen(db.engine, "after_cursor_execute", after)


def sections(app: Flask, world: World, transport: InProcess, names: str, repeat: int) -> None:
    """Time the named parts of each request named (in-process; names separated by commas),
    and print each part's median per request beside the request's own."""
    every = [find_case(world, name.strip()) for name in names.split(",") if name.strip()]
    timer = Sections()
    timer.instrument(app)
    for case in every:
        for _ in range(10):
            send_checked(case, transport)
        per_request: dict[str, list[float]] = {}
        calls: dict[str, int] = {}
        totals: list[float] = []
        cpu: list[float] = []
        for _ in range(repeat):
            case.prepare(transport)
            timer.spent.clear()
            timer.calls.clear()
            reply = case.send(transport)
            totals.append(reply.server_ms)
            cpu.append(reply.cpu_ms)
            for label, ms in timer.spent.items():
                per_request.setdefault(label, []).append(ms)
                calls[label] = timer.calls[label]
        whole = statistics.median(totals)
        print(
            f"\n**{case.name}**: {repeat} requests, median {whole:.2f} ms, CPU "
            f"{statistics.median(cpu):.2f} ms (timers, no profiler)\n"
        )
        print("| part | median ms per request | share | calls per request |")
        print("| --- | ---: | ---: | ---: |")
        for label in sorted(per_request, key=lambda k: -statistics.median(per_request[k])):
            values = per_request[label] + [0.0] * (repeat - len(per_request[label]))
            ms = statistics.median(values)
            print(f"| {label} | {ms:.2f} | {ms / whole:.0%} | {calls[label]} |")


def only(every: list[Case], names: str) -> list[Case]:
    """The baselines and the cases named in `names` (separated by commas, case ignored), in
    the full run's order: a name equal to a request's whole name picks that one request, any
    other the requests whose names contain it."""
    chosen: set[str] = set()
    for name in (name.strip().lower() for name in names.split(",")):
        if not name:
            continue
        exact = [case.name for case in every if case.name.lower() == name]
        found = exact or [case.name for case in every if name in case.name.lower()]
        if not found:
            raise SystemExit(f"no request named like {name!r}")
        chosen.update(found)
    return [case for case in every if case.kind == "baseline" or case.name in chosen]


def publish(sections: list[str], output_dir: Path, suffix: str = "") -> Path:
    """Print the tables and write them to <output_dir>/<date><suffix>.md (benchmarks/ by
    default)."""
    section = "\n".join(sections)
    print(section)
    out = output_dir / f"{date.today().isoformat()}{suffix}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"# Benchmark {date.today().isoformat()}\n\n{section}\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="an EMPTY database (else SQLite)")
    parser.add_argument("--schools", type=int, default=1500)
    parser.add_argument("--gunicorn", action="store_true", help="also measure under gunicorn")
    parser.add_argument(
        "--output-dir", type=Path, default=None, help="where <date>.md goes (benchmarks/)"
    )
    parser.add_argument(
        "--profile", default=None, help="only profile the request with this name (pyinstrument)"
    )
    parser.add_argument(
        "--sections",
        default=None,
        help="only time the parts of the requests with these names (separated by commas)",
    )
    parser.add_argument(
        "--only",
        default=None,
        help="measure only the requests whose names contain one of these (separated by "
        "commas), beside the bare endpoint and the floor; printed, and written to "
        "<output-dir>/<date>-only.md only with --output-dir",
    )
    args = parser.parse_args()
    output_dir: Path | None = args.output_dir or (None if args.only else BENCHMARKS)
    suffix = "-only" if args.only else ""

    def write(report: list[str]) -> None:
        if output_dir is None:
            print("\n".join(report))
        else:
            publish(report, output_dir, suffix)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WIZARD_INSTANCE_PATH"] = tmp
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        if args.gunicorn and not url.startswith("postgresql"):
            raise SystemExit("--gunicorn needs --database-url postgresql://...")
        weights = asset_weights()  # builds build/static, which the app then serves
        world = seed(bench_app(url, csrf_protection=False), args.schools)
        app = bench_app(url)
        counter = [0]
        with app.app_context():
            event.listen(
                db.engine,
                "before_cursor_execute",
                lambda *a: counter.__setitem__(0, counter[0] + 1),
            )
        clients = {
            "lead": signed_in(app, LEAD),
            "coordinator": signed_in(app, COORDINATOR),
            "admin": signed_in(app, ADMIN),
            "anonymous": app.test_client(),
        }
        in_process = InProcess(app, clients)
        if args.profile:
            profile(world, in_process, args.profile, args.requests)
            return
        if args.sections:
            sections(app, world, in_process, args.sections, args.requests)
            return
        database = url.split(":", 1)[0].split("+")[0]
        every = cases(world)
        if args.only:
            every = only(every, args.only)
        pdfs = max(1, args.requests // PDF_EVERY)
        rarer = (
            f", the PDF and the draft's Word file in every {PDF_EVERY}th ({pdfs})"
            if any(case.kind == "pdf" for case in every)
            else ""
        )
        print(f"  in-process: {len(every)} requests x {args.requests} rounds", file=sys.stderr)
        results = measure(every, in_process, counter, args.requests)
        load = os.getloadavg()
        by_what = f"`scripts/bench.py --only {args.only}`" if args.only else "`make bench`"
        report = [
            f"Measured {date.today().isoformat()} by {by_what} ({args.schools} schools; "
            f"{args.requests} interleaved rounds{rarer}; Python {sys.version.split()[0]}; "
            "CSRF protection on). "
            "Times are server times, medians with no profiler running; sizes are of the "
            "response body, gzipped at level 6 as a proxy would. Load average at the end of "
            f"the in-process run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 "
            f"min) on {os.cpu_count()} cores.",
            "",
            *table(results, f"In-process (Flask test client), {database}"),
            "",
        ]
        if args.gunicorn:
            if output_dir is not None:
                publish([*report, "(under gunicorn: still running)"], output_dir, suffix)
            served = gunicorn(url)
            port = next(served)
            try:
                print(f"  gunicorn: {len(every)} requests x {args.requests}", file=sys.stderr)
                http_results = measure(every, OverHttp(port, clients), [0], args.requests)
            finally:
                served.close()
            load = os.getloadavg()
            report += [
                *table(
                    http_results,
                    f"Under gunicorn (one sync worker), {database}; queries are counted "
                    f"in-process only; load average at the end: {load[0]:.1f} / {load[1]:.1f} "
                    f"/ {load[2]:.1f}",
                    with_queries=False,
                ),
                "",
            ]
            results_for_targets = http_results
        else:
            results_for_targets = results
        report += [
            "**Targets** (issue 31's, from the "
            + ("gunicorn" if args.gunicorn else "in-process")
            + " figures; ratios are to the bare endpoint or the floor of the same run)",
            "",
            *targets_table(targets(results_for_targets)),
        ]
        if not args.only:
            report += ["", "**Front-end weight** (from the static build)", "", *weights]
        write(report)


if __name__ == "__main__":
    main()
