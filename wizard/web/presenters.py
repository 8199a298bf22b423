"""What pages show, built in Python from the data: the plan summary (the school's own, a
submitted version, and next the coordinator's and shared views all use this one)."""

from __future__ import annotations

from typing import Any

from wizard.domain.summary import view
from wizard.render.svg import board_svg
from wizard.web.i18n import in_language, select_locale


def summary_context(snapshot: dict[str, Any], status: str, number: int | None) -> dict[str, Any]:
    """The summary page's (and PDF's) context for a snapshot of a plan, in the page's language."""
    lang = select_locale()
    summary = view(snapshot, lang)
    school_name = in_language(summary.school["name_en"], summary.school["name_cy"], lang)
    svg = board_svg(summary.board, summary.cards, school_name, snapshot["academic_year"])
    return {
        "summary": summary,
        "school_name": school_name,
        "academic_year": snapshot["academic_year"],
        "status": status,
        "version_number": number,
        "diamond_svg": svg,
    }
