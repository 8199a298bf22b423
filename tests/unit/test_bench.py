"""`make bench` (scripts/bench.py) measures what users get: its app keeps CSRF protection on
(only its floor endpoint is exempt), it says which of issue 31's targets are met or missed, and
its table goes into the folder it is given, never into the README."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask

from wizard.data.database import db
from wizard.web.extensions import limiter

ROOT = Path(__file__).resolve().parents[2]


@cache
def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = bench  # its dataclasses look their module up while it loads
    spec.loader.exec_module(bench)
    return bench


def test_the_benchmark_app_checks_csrf_tokens_like_production(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = load_bench()
    # The benchmark app turns rate limits off, and Flask-Limiter keeps that on its one
    # extension object, shared by every app of the process: put it back afterwards (without
    # this, the rate-limit tests that ran after it in the same worker saw no limit).
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    monkeypatch.setattr(limiter, "_key_prefix", limiter._key_prefix)
    measured = bench.bench_app(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        _checks_csrf_tokens(bench, measured)
    finally:
        # Its own engine: close its connections now, not when the garbage collector finds
        # them open in some later test (a ResourceWarning there, on PostgreSQL).
        with measured.app_context():
            db.session.remove()
            db.engine.dispose()


def _checks_csrf_tokens(bench: ModuleType, measured: Flask) -> None:
    client = measured.test_client()
    attempt = {"email": "nobody@school.example", "password": "not the password"}
    assert client.post("/en/sign-in", data=attempt).status_code == 400
    form = client.get("/en/sign-in")
    token = bench.csrf_token_of(form.get_data())
    assert f'name="csrf_token" type="hidden" value="{token}"' in form.get_data(as_text=True)
    refused = client.post("/en/sign-in", data={**attempt, "csrf_token": token})
    assert refused.status_code == 200, "the token read from the form is accepted"
    # The htmx requests send the page's token in a header, as static/src/app.mjs does.
    assert bench.csrf_token_of('<meta name="csrf-token" content="abc.def">') == "abc.def"
    # The one-row commit it compares writes with is the only exempt endpoint.
    assert client.post("/bench/floor").status_code == 200
    assert client.get("/bench/bare").get_data(as_text=True) == "ok"


def result(bench: ModuleType, name: str, kind: str, ms: float, size: int = 1000) -> object:
    return bench.Result(name, kind, ms, ms, 0, size, size)


def test_the_targets_are_issue_31s_each_met_or_missed() -> None:
    bench = load_bench()
    results = [
        result(bench, "bare Flask endpoint", "baseline", 1.0),
        result(bench, "floor: commit a one-row update", "baseline", 2.0),
        result(bench, "GET start page", "get", 40.0),
        result(bench, "GET task list", "get", 15.0),
        result(bench, "GET step: a hallmark", "get", 15.1),
        result(bench, "GET check answers (a task)", "get", 12.0),
        result(bench, "GET Diamond 9 board", "get", 14.0),
        result(bench, "GET plan summary", "get", 16.0),
        result(bench, "GET plan summary PDF", "pdf", 400.0),
        result(bench, "POST save About your school", "write", 5.0),
        result(bench, "POST save a hallmark", "write", 5.1),
        result(bench, "POST save a funding line", "write", 4.0),
        result(bench, "POST Diamond 9 move (htmx)", "write", 4.8, 6000),
        result(bench, "GET funding live total (htmx)", "partial", 5.0),
        result(bench, "GET cluster dashboard (8 schools)", "get", 29.9),
        result(bench, "GET national view (all Wales)", "get", 30.0),
        result(bench, "GET submitted version PDF (cached)", "get", 19.0),
    ]
    checks = {(t.what, t.target): t.met for t in bench.targets(results)}
    assert checks == {
        ("GET task list", "<= 15 x bare"): True,
        ("GET step: a hallmark", "<= 15 x bare"): False,
        ("GET check answers (a task)", "<= 15 x bare"): True,
        ("GET Diamond 9 board", "<= 15 x bare"): True,
        ("GET plan summary", "<= 15 x bare"): False,
        ("POST save About your school", "<= 2.5 x floor"): True,
        ("POST save a hallmark", "<= 2.5 x floor"): False,
        ("POST save a funding line", "<= 2.5 x floor"): True,
        ("POST Diamond 9 move (htmx)", "<= 2.5 x floor"): True,
        ("GET funding live total (htmx)", "<= 5 x bare"): True,
        ("GET cluster dashboard (8 schools)", "< 30 ms"): True,
        ("GET national view (all Wales)", "< 30 ms"): False,
        ("GET submitted version PDF (cached)", "< 20 ms"): True,
        ("POST Diamond 9 move (htmx)", "< 5 KB"): False,
        ("GET step: a hallmark", "HTML < 30 KB"): True,
        ("GET plan summary PDF (a draft)", "< 1 s"): True,
    }
    table = "\n".join(bench.targets_table(bench.targets(results)))
    assert "11 of 16 targets met." in table
    assert "| GET national view (all Wales) | < 30 ms | 30.0 ms | **missed** |" in table


def test_the_table_goes_into_the_folder_it_is_given(tmp_path: Path) -> None:
    bench = load_bench()
    readme = (ROOT / "README.md").read_text()
    written = bench.publish(["| a | table |"], tmp_path / "out")
    assert written.parent == tmp_path / "out"
    assert "| a | table |" in written.read_text()
    assert (ROOT / "README.md").read_text() == readme


def test_only_picks_the_requests_named_beside_the_baselines() -> None:
    bench = load_bench()
    every = [
        bench.Case("bare Flask endpoint", "baseline", None),
        bench.Case("floor: commit a one-row update", "baseline", None),
        bench.Case("GET step: a hallmark", "get", None),
        bench.Case("POST save a hallmark", "write", None),
        bench.Case("GET Diamond 9 board", "get", None),
        bench.Case("GET plan summary", "get", None),
        bench.Case("GET plan summary PDF", "pdf", None),
    ]
    names = [case.name for case in bench.only(every, "Hallmark, GET plan summary")]
    assert names == [
        "bare Flask endpoint",
        "floor: commit a one-row update",
        "GET step: a hallmark",
        "POST save a hallmark",
        "GET plan summary",
    ]
    with pytest.raises(SystemExit):
        bench.only(every, "board,no such page")
    # The targets of a subset are those of the requests measured.
    results = [
        result(bench, "bare Flask endpoint", "baseline", 1.0),
        result(bench, "floor: commit a one-row update", "baseline", 2.0),
        result(bench, "GET step: a hallmark", "get", 10.0),
    ]
    checks = {(t.what, t.target): t.met for t in bench.targets(results)}
    assert checks == {
        ("GET step: a hallmark", "<= 15 x bare"): True,
        ("GET step: a hallmark", "HTML < 30 KB"): True,
    }
