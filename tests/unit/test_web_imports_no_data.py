"""Views read the request, call a service and render: no module of wizard/web (the views, and the
presenters, scope, errors and the rest beside them) imports anything of the data layer, not even
for its type hints under TYPE_CHECKING (which lint-imports does not count:
`exclude_type_checking_imports`). The types a view names come through the service it calls."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "wizard" / "web"


def imported_modules(source: str) -> set[str]:
    """Every module the file imports, wherever the import stands (TYPE_CHECKING blocks and
    function bodies too); `from a import b` counts as a and a.b."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def from_data(modules: set[str]) -> list[str]:
    return sorted(
        name for name in modules if name == "wizard.data" or name.startswith("wizard.data.")
    )


def test_the_check_sees_imports_under_type_checking() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from wizard.data.models import User\n"
    assert from_data(imported_modules(source)) == ["wizard.data.models", "wizard.data.models.User"]


def test_no_web_module_imports_the_data_layer() -> None:
    modules = sorted(WEB.rglob("*.py"))
    assert len([path for path in modules if path.parent.name == "views"]) > 10
    importing = {
        str(path.relative_to(ROOT)): found
        for path in modules
        if (found := from_data(imported_modules(path.read_text(encoding="utf-8"))))
    }
    assert importing == {}
