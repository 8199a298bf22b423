"""The stylesheet compiles only the GOV.UK Frontend parts in use: what the templates use must
still be in it."""

from __future__ import annotations

import re

from wizard.config import ROOT

CSS = (ROOT / "static" / "css" / "app.css").read_text()
SOURCES = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "wizard").rglob("*.py")]


def _used(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        found.update(re.findall(pattern, path.read_text()))
    return found


def test_every_override_class_used_is_in_the_css() -> None:
    used = _used(r"govuk-!-[a-z0-9-]+[a-z0-9]")
    assert used, "no override classes found: the pattern is wrong"
    missing = sorted(name for name in used if name.replace("!", "\\!") + "{" not in CSS)
    assert not missing, f"add them to static/scss/app.scss: {missing}"


def test_every_component_whose_macro_is_used_is_in_the_css() -> None:
    macros = _used(r"\bgovuk([A-Z][A-Za-z]+)\(")
    assert "Button" in macros
    for macro in macros:
        block = "govuk-" + re.sub(r"(?<!^)([A-Z])", r"-\1", macro).lower()
        assert f".{block}" in CSS, f"{block} is not compiled: add it to static/scss/app.scss"


def test_the_unused_components_are_left_out() -> None:
    assert ".govuk-header{" not in CSS  # (pagination is in use: the history page)
    assert ".govuk-\\!-static-margin-0{" not in CSS
