"""The stylesheet and GOV.UK Frontend's JavaScript carry only the GOV.UK Frontend parts in use:
what the templates use must still be in them."""

from __future__ import annotations

import re
from pathlib import Path

import govuk_frontend_jinja
import govuk_frontend_wtf

from wizard.config import ROOT
from wizard.web import widgets

# Every stylesheet: app.css (every page), pages.css (every page but the steps and the board),
# board.css (the Diamond 9 board).
CSS = "".join(
    (ROOT / "static" / "css" / f"{name}.css").read_text() for name in ("app", "pages", "board")
)
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


# GOV.UK Frontend's JavaScript: static/vendor/govuk-frontend-<version>-subset.min.js bundles
# only the components in scripts/assets/govuk-frontend-subset.mjs.

SUBSET = (ROOT / "scripts" / "assets" / "govuk-frontend-subset.mjs").read_text()
JINJA = Path(govuk_frontend_jinja.__file__).parent / "templates"


FORMS = (ROOT / "scripts" / "assets" / "govuk-frontend" / "forms.mjs").read_text()


def _components_in_subset() -> set[str]:
    """The data-module names mapped to a component in the subset and in its form fields' module
    (each name next to the class it creates: 'govuk-button': Button)."""
    found: set[str] = set()
    for source in (SUBSET, FORMS):
        listed = re.search(r"export const COMPONENTS = \{(.*?)\}", source, re.S)
        assert listed is not None
        for name, component in re.findall(r"'(govuk-[a-z-]+)': ([A-Z][A-Za-z]+)", listed.group(1)):
            assert name == "govuk-" + re.sub(r"(?<!^)([A-Z])", r"-\1", component).lower()
            found.add(name)
    return found


def _components_whose_macros_are_used() -> set[str]:
    used = _used(r"govuk_frontend_jinja/components/([a-z-]+)/macro")
    for widget in vars(widgets).values():
        template = getattr(widget, "template", None) if isinstance(widget, type) else None
        if isinstance(template, str) and template.startswith("govuk_frontend_wtf/"):
            source = (Path(govuk_frontend_wtf.__file__).parent / "templates").joinpath(
                template.removeprefix("govuk_frontend_wtf/")
            )
            used.update(re.findall(r"components/([a-z-]+)/macro", source.read_text()))
    return used


def test_every_component_script_a_page_can_need_is_in_the_javascript() -> None:
    used = _components_whose_macros_are_used()
    assert {"button", "radios", "character-count"} <= used
    modules = _used(r'data-module="(govuk-[a-z-]+)"')  # written in our own templates
    for component in used:
        macro = (JINJA / "components" / component / "macro.html").read_text()
        modules.update(re.findall(r'data-module="(govuk-[a-z-]+)"', macro))
    missing = sorted(modules - _components_in_subset())
    assert not missing, f"add them to scripts/assets/govuk-frontend-subset.mjs: {missing}"


def test_the_bundled_javascript_is_the_subset_and_app_mjs_imports_it() -> None:
    vendored = sorted((ROOT / "static" / "vendor").glob("govuk-frontend-*.min.js"))
    names = [re.sub(r"-[A-Z0-9]{8}\.min\.js$", ".min.js", path.name) for path in vendored]
    assert names == [  # the subset, the code it shares with the form fields' module, that module
        "govuk-frontend-6.3.0-chunk.min.js",
        "govuk-frontend-6.3.0-forms.min.js",
        "govuk-frontend-6.3.0-subset.min.js",
    ]
    bundle = "".join(path.read_text() for path in vendored)
    assert "govuk-accordion" not in bundle and "govuk-tabs" not in bundle
    assert "govuk-error-summary" in bundle and "govuk-character-count" in bundle
    app = (ROOT / "static" / "js" / "app.mjs").read_text()
    assert '"../vendor/govuk-frontend-6.3.0-subset.min.js"' in app
