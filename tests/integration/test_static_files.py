"""Static files from the build: fingerprinted, precompressed, cached for ever; and the
board's script only on the board."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path
from typing import Any

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache

from tests.conftest import sign_in
from tests.html import soup
from wizard.data.models import User
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.web.assets import build_static

IMMUTABLE = "max-age=315360000, public, immutable"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("static-build") / "static"
    return folder, build_static(folder)


@pytest.fixture
def built_app(make_app: Any, built: tuple[Path, dict[str, str]]) -> Flask:
    app: Flask = make_app(STATIC_BUILD_DIR=str(built[0]))
    return app


def _assets(page: Any) -> list[str]:
    links = [link["href"] for link in page.find_all("link", href=True)]
    scripts = [script["src"] for script in page.find_all("script", src=True)]
    return [url for url in links + scripts if url.startswith("/static/")]


def test_pages_name_the_fingerprinted_files(
    built_app: Flask, built: tuple[Path, dict[str, str]]
) -> None:
    manifest = built[1]
    page = soup(built_app.test_client().get("/en/"))
    assets = _assets(page)
    assert f"/static/{manifest['css/app.css']}" in assets
    assert f"/static/{manifest['js/app.mjs']}" in assets
    assert f"/static/{manifest['vendor/htmx-2.0.11.min.js']}" in assets
    assert all("?v=" not in url for url in assets)


@pytest.mark.parametrize(
    ("encoding", "decode"),
    [("br", brotli.decompress), ("gzip", gzip.decompress), ("identity", lambda b: b)],
)
def test_fingerprinted_files_are_compressed_and_immutable(
    built_app: Flask, built: tuple[Path, dict[str, str]], encoding: str, decode: Any
) -> None:
    folder, manifest = built
    client = built_app.test_client()
    for name in ("css/app.css", "js/app.mjs", "vendor/htmx-2.0.11.min.js"):
        response = client.get(f"/static/{manifest[name]}", headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Accept-Encoding" in response.headers["Vary"]
        if encoding == "identity":
            assert "Content-Encoding" not in response.headers
        else:
            assert response.headers["Content-Encoding"] == encoding
        body = decode(response.get_data())
        response.close()
        assert body == (folder / manifest[name]).read_bytes()


def test_plain_names_are_served_but_revalidated(built_app: Flask) -> None:
    response = built_app.test_client().get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=0, public"
    response.close()
    assert built_app.test_client().get("/static/scss/app.scss").status_code == 404


def test_the_board_script_is_loaded_only_on_the_board(
    built: tuple[Path, dict[str, str]],
) -> None:
    folder, manifest = built
    app_module = (folder / manifest["js/app.mjs"]).read_text()
    diamond = manifest["js/diamond.mjs"].removeprefix("js/")
    assert f'import("./{diamond}")' in app_module  # a dynamic import, only on the board
    assert 'from"./diamond' not in app_module and 'import"./diamond' not in app_module


def test_the_govuk_frontend_subset_imports_its_parts_by_their_fingerprinted_names(
    built: tuple[Path, dict[str, str]],
) -> None:
    """The subset's chunk and its form fields' module are cached for ever too: the subset (and
    the form fields' module, which imports the chunk) name their fingerprinted files."""
    folder, manifest = built
    parts = [name for name in manifest if name.startswith("vendor/govuk-frontend-6.3.0-")]
    chunk = next(name for name in parts if "-chunk-" in name)
    forms = next(name for name in parts if "-forms-" in name)
    subset = (folder / manifest["vendor/govuk-frontend-6.3.0-subset.min.js"]).read_text()
    for part in (chunk, forms):
        assert f'"./{manifest[part].removeprefix("vendor/")}"' in subset
    assert (
        f'"./{manifest[chunk].removeprefix("vendor/")}"' in (folder / manifest[forms]).read_text()
    )


def test_a_signed_in_step_page_loads_no_board_script(
    built_app: Flask, lead: User, built: tuple[Path, dict[str, str]]
) -> None:
    client: FlaskClient = built_app.test_client()
    sign_in(client, lead.email)
    page = soup(client.get("/en/plan/", follow_redirects=True))
    assert not any("diamond" in url or "Sortable" in url for url in _assets(page))


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/hallmark-3", "STEP_PAGE_ASSETS"), ("/diamond-9", "BOARD_PAGE_ASSETS")],
)
def test_a_step_page_and_the_board_name_what_the_benchmark_weighs(
    built_app: Flask, lead: User, built: tuple[Path, dict[str, str]], path: str, expected: str
) -> None:
    """scripts/bench.py weighs the CSS and JavaScript of these two pages from its own lists:
    they must be exactly what the pages name (a step: app.css only; the board: board.css too)."""
    from tests.unit.test_bench import load_bench

    bench = load_bench()

    manifest = built[1]
    client: FlaskClient = built_app.test_client()
    sign_in(client, lead.email)
    year = year_slug(academic_year_of(date.today()))
    response = client.get(f"/en/plan/{year}{path}", follow_redirects=True)
    assert response.status_code == 200
    names = {url: name for name, url in ((n, f"/static/{f}") for n, f in manifest.items())}
    page = soup(response)
    named = [names[url] for url in _assets(page) if url in names]
    stylesheets_and_scripts = [n for n in named if n.endswith((".css", ".js", ".mjs"))]
    assert stylesheets_and_scripts == list(getattr(bench, expected))
    # What app.mjs imports with import() there: the board's script on the board; GOV.UK
    # Frontend's form fields' module where there is a form field's component.
    modules = {element["data-module"] for element in page.select("[data-module]")}
    form_fields = {"govuk-radios", "govuk-checkboxes", "govuk-character-count"}
    kind = "board" if expected == "BOARD_PAGE_ASSETS" else "step"
    loaded = bench.page_assets(getattr(bench, expected), kind)
    assert ("js/diamond.mjs" in loaded) == (page.find(id="diamond-board") is not None)
    assert any("-forms-" in name for name in loaded) == bool(modules & form_fields)
    assert page.find(id="funding-total") is None and not page.select("a[data-download]")


def test_production_compiles_templates_once_and_keeps_them(
    make_app: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from wizard.config import load_config

    monkeypatch.setenv("WIZARD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("WIZARD_BASE_URL", "https://planner.example")
    assert load_config(tmp_path)["TEMPLATES_AUTO_RELOAD"] is False
    monkeypatch.setenv("WIZARD_ENV", "development")
    assert load_config(tmp_path)["TEMPLATES_AUTO_RELOAD"] is None  # Flask: only in debug
    production: Flask = make_app(PRODUCTION=True)
    kept = production.jinja_env.bytecode_cache
    assert isinstance(kept, FileSystemBytecodeCache)
    assert Path(kept.directory) == Path(production.instance_path) / "jinja-cache"
    # Outside production the app keeps nothing in its instance folder (the tests share one
    # cache of their own for the run, tests/conftest.py).
    other = make_app().jinja_env.bytecode_cache
    assert not (
        isinstance(other, FileSystemBytecodeCache)
        and Path(other.directory) == Path(production.instance_path) / "jinja-cache"
    )
