"""Static files: fingerprinted names, precompressed copies, and WhiteNoise to serve them.

`flask --app wizard build-static` (run by `make run`, `make serve` and `make bench`; plain
Python, no Node) copies `static/` into the build folder (`build/static/`, or
`WIZARD_STATIC_BUILD`) with, for every file, a copy named after its content
(`css/app.css` -> `css/app.<hash>.css`), and a gzip (`.gz`) and a Brotli (`.br`) copy of
every text file. References between files are rewritten to the fingerprinted names: the
imports in the ES modules (`import './diamond.mjs'`, `import('./diamond.mjs')`,
`new URL('../vendor/...', import.meta.url)`) and `url(/static/...)` in the stylesheet, so a
fingerprinted file only ever names other fingerprinted files. `assets.json` maps each
source name to its fingerprinted one and records a digest of the sources.

WhiteNoise serves the build folder in front of Flask: it picks the Brotli or gzip copy by the
request's `Accept-Encoding`, and sends fingerprinted names with `Cache-Control: max-age=
315360000, public, immutable` (their content never changes under that name) and the plain
names with `max-age=0`. `static_url()` in templates names the fingerprinted file.

A new build keeps the previous builds' fingerprinted files (with their compressed copies) for
KEEP_RETIRED_SECONDS after they stop being current, listed under "retired" in `assets.json`:
pages opened before a release, or served by a host still on the previous release in a rolling
one, go on finding the files they name.

When the build folder is missing or older than `static/` (a file changed since the last
build, as in the test suite), the app serves `static/` itself, uncompressed, and
`static_url()` falls back to the plain name with `?v=<hash>`: pages always get current files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import shutil
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn
from wsgiref.headers import Headers

import brotli
from flask import Flask, abort, current_app, url_for
from whitenoise import WhiteNoise

from wizard.config import ROOT

log = logging.getLogger(__name__)

SOURCE = ROOT / "static"
MANIFEST = "assets.json"
# Sources, not served files (static/src/ holds the ES modules that scripts/build-assets.sh
# bundles and minifies into static/js/).
EXCLUDED = ("scss/", "src/", "README.md")
COMPRESSIBLE = {".css", ".js", ".mjs", ".svg", ".json", ".ico", ".txt", ".map", ".xml"}
# Not worth a compressed copy (WhiteNoise serves the file itself).
MIN_COMPRESS_BYTES = 256
HASH_LENGTH = 12
# How long a fingerprinted file stays in the build after a build stops naming it (a week: longer
# than any page stays open, or a rolling release takes).
KEEP_RETIRED_SECONDS = 7 * 24 * 60 * 60

_JS_REFERENCE = re.compile(
    r"""(?P<before>(?:\bimport\s*\(\s*|\bfrom\s*|\bimport\s*|\bnew\s+URL\(\s*))"""
    r"""(?P<quote>['"])(?P<ref>\.{1,2}/[^'"\s]+)(?P=quote)"""
)
_CSS_REFERENCE = re.compile(r"""url\((?P<quote>['"]?)/static/(?P<ref>[^'")]+)(?P=quote)\)""")


def source_files(source: Path = SOURCE) -> list[str]:
    """Every file under static/ that is served, as a POSIX path relative to it, sorted."""
    names = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(source).as_posix()
        if any(name == skip or name.startswith(skip) for skip in EXCLUDED):
            continue
        names.append(name)
    return names


def source_digest(source: Path = SOURCE) -> str:
    """One hash over the names and contents of every served source file."""
    digest = hashlib.sha256()
    for name in source_files(source):
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256((source / name).read_bytes()).digest())
    return digest.hexdigest()


def fingerprinted(name: str, content: bytes) -> str:
    """`css/app.css` -> `css/app.<hash>.css` (the hash of the content as served)."""
    folder, _, filename = name.rpartition("/")
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    tag = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    hashed = f"{stem}.{tag}.{extension}" if extension else f"{stem}.{tag}"
    return f"{folder}/{hashed}" if folder else hashed


def _resolve(base: str, reference: str) -> str:
    """A relative reference from the file `base`, as a path under static/."""
    parts = base.split("/")[:-1]
    for piece in reference.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _relative(base: str, target: str) -> str:
    """The relative reference from the file `base` to `target` (both under static/)."""
    base_parts = base.split("/")[:-1]
    target_parts = target.split("/")
    common = 0
    while (
        common < len(base_parts)
        and common < len(target_parts) - 1
        and base_parts[common] == target_parts[common]
    ):
        common += 1
    ups = [".."] * (len(base_parts) - common)
    rest = target_parts[common:]
    joined = "/".join(ups + rest)
    return joined if ups else "./" + joined


class _Builder:
    def __init__(self, source: Path) -> None:
        self.source = source
        self.names = set(source_files(source))
        self.manifest: dict[str, str] = {}
        self.content: dict[str, bytes] = {}
        self._active: set[str] = set()

    def build(self, name: str) -> str:
        """The fingerprinted name of `name`, building what it refers to first."""
        if name in self.manifest:
            return self.manifest[name]
        if name in self._active:
            raise ValueError(f"static files refer to each other in a circle: {name}")
        self._active.add(name)
        raw = (self.source / name).read_bytes()
        # Vendored modules too: GOV.UK Frontend's subset imports its chunk and its form fields'
        # module (a reference is rewritten only when it names a file here; htmx names none).
        if name.endswith((".mjs", ".js")):
            raw = self._rewrite_js(name, raw.decode("utf-8")).encode("utf-8")
        elif name.endswith(".css"):
            raw = self._rewrite_css(raw.decode("utf-8")).encode("utf-8")
        self._active.discard(name)
        self.content[name] = raw
        self.manifest[name] = fingerprinted(name, raw)
        return self.manifest[name]

    def _rewrite_js(self, name: str, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            target = _resolve(name, match["ref"])
            if target not in self.names:
                return match[0]
            hashed = self.build(target)
            return f"{match['before']}{match['quote']}{_relative(name, hashed)}{match['quote']}"

        return _JS_REFERENCE.sub(replace, text)

    def _rewrite_css(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            target = match["ref"]
            if target not in self.names:
                return match[0]
            return f"url({match['quote']}/static/{self.build(target)}{match['quote']})"

        return _CSS_REFERENCE.sub(replace, text)


def _compress(path: Path) -> None:
    if path.suffix not in COMPRESSIBLE:
        return
    data = path.read_bytes()
    if len(data) < MIN_COMPRESS_BYTES:
        return
    # mtime=0 and no file name: the same input always gives the same bytes.
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))


def _retired(destination: Path, current: set[str], now: float) -> dict[str, float]:
    """The earlier builds' fingerprinted names still kept in `destination`, each with when it
    stopped being current (now, for the names of the build being replaced)."""
    try:
        record: Any = json.loads((destination / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict):
        return {}
    retired: dict[str, float] = {}
    earlier = record.get("retired")
    if isinstance(earlier, dict):
        for name, when in earlier.items():
            if isinstance(when, int | float) and now - when < KEEP_RETIRED_SECONDS:
                retired[str(name)] = float(when)
    files = record.get("files")
    if isinstance(files, dict):
        for name in files.values():
            retired.setdefault(str(name), now)
    return {
        name: when
        for name, when in retired.items()
        if name not in current and (destination / name).is_file()
    }


def build_static(
    destination: Path, source: Path = SOURCE, now: float | None = None
) -> dict[str, str]:
    """Build the served static folder in `destination` (replaced, keeping the fingerprinted
    files of earlier builds for a while); returns the manifest."""
    builder = _Builder(source)
    for name in sorted(builder.names):
        builder.build(name)
    staging = destination.with_name(destination.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for name in sorted(builder.names):
        for served, content in (
            (name, (source / name).read_bytes()),
            (builder.manifest[name], builder.content[name]),
        ):
            path = staging / served
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            _compress(path)
    retired = _retired(
        destination, set(builder.manifest.values()), time.time() if now is None else now
    )
    for name in retired:
        for suffix in ("", ".gz", ".br"):
            old = destination / f"{name}{suffix}"
            if old.is_file():
                (staging / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(old, staging / f"{name}{suffix}")
    record = {"source": source_digest(source), "files": builder.manifest, "retired": retired}
    (staging / MANIFEST).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    shutil.rmtree(destination, ignore_errors=True)
    staging.rename(destination)
    return builder.manifest


def load_manifest(destination: Path, source: Path = SOURCE) -> dict[str, str] | None:
    """The build's manifest, or None when there is no build or static/ changed since."""
    try:
        record: Any = json.loads((destination / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("source") != source_digest(source):
        log.warning(
            "%s is missing or older than static/: serving static/ uncompressed "
            "(run `flask --app wizard build-static`)",
            destination,
        )
        return None
    files = record.get("files")
    return dict(files) if isinstance(files, dict) else None


@lru_cache(maxsize=256)
def _static_hash(filename: str) -> str:
    try:
        return hashlib.sha256((SOURCE / filename).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def static_url(filename: str) -> str:
    """A static file's URL under a name that changes with its content."""
    manifest: dict[str, str] | None = current_app.extensions.get("wizard_assets")
    if manifest and filename in manifest:
        return url_for("static", filename=manifest[filename])
    return url_for("static", filename=filename, v=_static_hash(filename))


def _static_headers(headers: Headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"


def init_app(app: Flask) -> None:
    """Serve static files through WhiteNoise: the build when it is current, else static/."""
    destination = Path(app.config.get("STATIC_BUILD_DIR") or ROOT / "build" / "static")
    manifest = load_manifest(destination)
    app.extensions["wizard_assets"] = manifest
    immutable = set(manifest.values()) if manifest else set()
    prefix = "static/"

    def is_immutable(path: str, url: str) -> bool:
        return url.removeprefix("/" + prefix) in immutable

    server: Callable[..., Iterator[bytes]] = WhiteNoise(
        app.wsgi_app,
        root=str(destination if manifest else SOURCE),
        prefix=prefix,
        max_age=0,
        immutable_file_test=is_immutable,
        add_headers_function=_static_headers,
        allow_all_origins=False,
    )
    app.wsgi_app = server  # type: ignore[method-assign]
    if manifest:
        # WhiteNoise answers for every file in the build; anything else under /static/
        # (the Sass sources, the README) is not served.
        def not_built(filename: str) -> NoReturn:
            abort(404)

        app.view_functions["static"] = not_built
    app.add_template_global(static_url)
