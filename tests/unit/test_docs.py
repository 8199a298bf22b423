"""The README and docs/ stay short, true and linked: every relative link resolves, and no script
writes into the README (measured figures live in benchmarks/)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "benchmarks").glob("*.md")]
)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")


def _prose(page: Path) -> str:
    """The page without code blocks and code spans, where brackets are not links."""
    return CODE.sub("", FENCE.sub("", page.read_text()))


def _anchors(page: Path) -> set[str]:
    """GitHub's ids for a page's headings: lower case, punctuation dropped, spaces to hyphens."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in FENCE.sub("", page.read_text()).splitlines():
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _local_links(page: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(_prose(page))
        if not re.match(r"[a-z]+:", target) and not target.startswith("#")
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_names_a_file_or_heading_that_exists(page: Path) -> None:
    for target in _local_links(page):
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve()
        assert resolved.exists(), f"{page.relative_to(ROOT)} links to {target}: no such file"
        if anchor and resolved.is_file():
            assert anchor in _anchors(resolved), (
                f"{page.relative_to(ROOT)} links to {target}: no such heading"
            )
    for anchor in re.findall(r"\]\(#([^)\s]+)\)", _prose(page)):
        assert anchor in _anchors(page), f"{page.relative_to(ROOT)} links to #{anchor}"


def test_the_readme_is_short_with_the_two_commands_first() -> None:
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) < 200
    first = "\n".join(lines[:40])
    assert "make run" in first and "make test" in first


def test_every_page_of_docs_is_linked_from_the_readme_or_another_page() -> None:
    linked = {
        (page.parent / target.partition("#")[0]).resolve()
        for page in PAGES
        for target in _local_links(page)
    }
    for page in (ROOT / "docs").rglob("*.md"):
        assert page.resolve() in linked, f"nothing links to {page.relative_to(ROOT)}"


def test_the_docs_name_no_research_notes_and_one_way_of_running_flask() -> None:
    for page in PAGES:
        text = page.read_text()
        assert "research/" not in text, page
        for line in text.splitlines():
            stripped = line.strip().replace(".venv/bin/flask", "")
            assert not stripped.startswith("flask ") and " flask --app" not in f" {stripped}", (
                f"bare flask command in {page.relative_to(ROOT)}: {line}"
            )


def test_no_script_writes_into_the_readme() -> None:
    scripts = [*(ROOT / "scripts").rglob("*.py"), *(ROOT / "scripts").rglob("*.sh")]
    for path in [ROOT / "Makefile", *scripts]:
        text = path.read_text()
        assert "--write-readme" not in text, path
        assert not re.search(r'ROOT\s*/\s*"README\.md"', text), path


def test_lighthouse_writes_its_table_into_the_folder_it_is_given(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("lighthouse", ROOT / "scripts" / "lighthouse.py")
    assert spec and spec.loader
    lighthouse = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lighthouse)
    readme = (ROOT / "README.md").read_text()
    row: dict[str, object] = {
        **{key: 100 for key in ("performance", "accessibility", "best-practices", "seo")},
        **{key: "1.0 s" for key in ("FCP", "LCP", "TBT", "CLS", "SI")},
        "failed": [],
    }
    written = lighthouse.write([("start page", "cy", row)], tmp_path / "out")
    assert written.parent == tmp_path / "out" and written.name.startswith("lighthouse-")
    assert "| start page | cy | 100 |" in written.read_text()
    assert (ROOT / "README.md").read_text() == readme
