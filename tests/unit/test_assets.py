"""The static build: fingerprinted names, rewritten references, compressed copies."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import brotli

from wizard.config import ROOT
from wizard.web.assets import build_static, fingerprinted, load_manifest, source_digest

SUBSET_SOURCE = ROOT / "scripts" / "assets" / "govuk-frontend-subset.mjs"


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "static"
    (source / "js").mkdir(parents=True)
    (source / "vendor").mkdir()
    (source / "css").mkdir()
    (source / "images").mkdir()
    (source / "scss").mkdir()
    (source / "scss" / "app.scss").write_text("// source only\n")
    (source / "README.md").write_text("notes\n")
    (source / "vendor" / "lib-1.0.min.js").write_text("export const lib = 1;" * 40)
    (source / "js" / "board.mjs").write_text(
        "const url = new URL('../vendor/lib-1.0.min.js', import.meta.url)\n" * 20
    )
    (source / "js" / "app.mjs").write_text(
        "import { lib } from '../vendor/lib-1.0.min.js'\n"
        "if (document.getElementById('b')) { import('./board.mjs') }\n"
        "import './missing.mjs'\n" + "// padding\n" * 40
    )
    (source / "images" / "logo.svg").write_text("<svg/>")
    (source / "css" / "app.css").write_text(
        'a{background:url("/static/images/logo.svg")}b{background:url(/static/images/gone.svg)}'
        * 10
    )
    return source


def test_fingerprinted_names_keep_the_folder_and_extension() -> None:
    name = fingerprinted("vendor/htmx-2.0.11.min.js", b"x")
    assert name.startswith("vendor/htmx-2.0.11.min.") and name.endswith(".js")
    assert name != fingerprinted("vendor/htmx-2.0.11.min.js", b"y")
    assert fingerprinted("manifest", b"x").startswith("manifest.")


def test_the_build_rewrites_references_and_compresses(tmp_path: Path) -> None:
    source = _source(tmp_path)
    build = tmp_path / "build"
    manifest = build_static(build, source)
    assert set(manifest) == {
        "vendor/lib-1.0.min.js",
        "js/board.mjs",
        "js/app.mjs",
        "images/logo.svg",
        "css/app.css",
    }
    app = (build / manifest["js/app.mjs"]).read_text()
    lib = manifest["vendor/lib-1.0.min.js"].removeprefix("vendor/")
    board = manifest["js/board.mjs"].removeprefix("js/")
    assert f"from '../vendor/{lib}'" in app
    assert f"import('./{board}')" in app
    assert "import './missing.mjs'" in app  # not a static file: left alone
    assert f"new URL('../vendor/{lib}'" in (build / manifest["js/board.mjs"]).read_text()
    css = (build / manifest["css/app.css"]).read_text()
    assert f'url("/static/{manifest["images/logo.svg"]}")' in css
    assert "url(/static/images/gone.svg)" in css
    # The plain names are served too, unchanged.
    assert (build / "js/app.mjs").read_bytes() == (source / "js/app.mjs").read_bytes()
    # Compressed copies of what is big enough, identical once decompressed.
    hashed_app = build / manifest["js/app.mjs"]
    assert gzip.decompress(Path(f"{hashed_app}.gz").read_bytes()) == hashed_app.read_bytes()
    assert brotli.decompress(Path(f"{hashed_app}.br").read_bytes()) == hashed_app.read_bytes()
    assert not (build / "images/logo.svg.gz").exists()  # too small to be worth it
    assert not (build / "scss").exists() and not (build / "README.md").exists()
    record = json.loads((build / "assets.json").read_text())
    assert record["files"] == manifest and record["source"] == source_digest(source)


def test_the_build_is_deterministic(tmp_path: Path) -> None:
    source = _source(tmp_path)
    first = build_static(tmp_path / "one", source)
    second = build_static(tmp_path / "two", source)
    assert first == second
    for name in first.values():
        for suffix in ("", ".gz", ".br"):
            one = tmp_path / "one" / f"{name}{suffix}"
            if one.exists():
                assert one.read_bytes() == (tmp_path / "two" / f"{name}{suffix}").read_bytes()


def test_a_new_build_keeps_the_previous_fingerprinted_files_for_a_week(tmp_path: Path) -> None:
    """A rolling release: pages from the previous release still name its files."""
    source = _source(tmp_path)
    build = tmp_path / "build"
    first = build_static(build, source, now=1_000_000)
    (source / "css" / "app.css").write_text("a{color:red}" * 40)
    second = build_static(build, source, now=1_000_100)
    old, new = first["css/app.css"], second["css/app.css"]
    assert old != new
    assert (build / old).read_bytes() != (build / new).read_bytes()
    assert (build / f"{old}.gz").exists() and (build / f"{old}.br").exists()
    assert (build / "css/app.css").read_text() == "a{color:red}" * 40
    assert load_manifest(build, source) == second  # pages name the new files
    # A third build the same day keeps it still; one more than a week later, no more.
    (source / "js" / "app.mjs").write_text("// changed\n" * 40)
    build_static(build, source, now=1_000_200)
    assert (build / old).exists()
    build_static(build, source, now=1_000_100 + 7 * 24 * 60 * 60 + 1)
    assert not (build / old).exists()
    assert (build / new).exists()


def test_a_stale_or_missing_build_is_not_used(tmp_path: Path) -> None:
    source = _source(tmp_path)
    build = tmp_path / "build"
    assert load_manifest(build, source) is None
    manifest = build_static(build, source)
    assert load_manifest(build, source) == manifest
    (source / "js" / "app.mjs").write_text("changed")
    assert load_manifest(build, source) is None


def test_the_served_modules_are_built_from_the_current_sources() -> None:
    """static/js/app.mjs and diamond.mjs are built (bundled, minified) from static/src/ by
    `make assets`; each names a digest of the sources it was built from."""
    root = ROOT / "static"
    sources = [
        *sorted((root / "src").glob("*.mjs")),
        SUBSET_SOURCE,
        *sorted((SUBSET_SOURCE.parent / "govuk-frontend").glob("*.mjs")),
    ]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:16]
    for module in ("app", "diamond"):
        banner = (root / "js" / f"{module}.mjs").read_text().split("\n", 1)[0]
        assert f"from static/src/{module}.mjs (sources {digest})" in banner, (
            f"static/js/{module}.mjs is older than its sources: run make assets"
        )
