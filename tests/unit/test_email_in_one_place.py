"""Every email in one place: composed only by wizard/services/notifications.py (who gets it and
what it says), sent only by the services after their commit (no view sends or dispatches), and
every email template has its composer there."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIZARD = ROOT / "wizard"
NOTIFICATIONS = WIZARD / "services" / "notifications.py"
SENDING = {"dispatch", "send_now", "deliver", "sweep", "enqueue"}


def called_names(path: Path) -> set[str]:
    """The names of the functions a module calls (`f(...)` and `module.f(...)`)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def test_only_the_notifications_compose_emails() -> None:
    composing = sorted(
        str(path.relative_to(ROOT))
        for path in WIZARD.rglob("*.py")
        if "compose" in called_names(path)
    )
    assert composing == ["wizard/services/notifications.py"]


def test_no_web_module_sends_or_dispatches_email() -> None:
    sending = sorted(
        f"{path.relative_to(ROOT)}: {sorted(called_names(path) & SENDING)}"
        for path in (WIZARD / "web").rglob("*.py")
        if called_names(path) & SENDING
    )
    assert not sending


def test_every_email_template_has_its_composer_in_notifications() -> None:
    source = NOTIFICATIONS.read_text(encoding="utf-8")
    templates = sorted(path.stem for path in (ROOT / "templates" / "emails").glob("*.txt"))
    assert templates
    assert [name for name in templates if f'"{name}"' not in source] == []
