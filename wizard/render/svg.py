"""The Diamond 9 as an SVG image, drawn on the server with titles wrapped to fit the cards."""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

from flask_babel import gettext as _

from wizard.domain.academic_year import year_label
from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import ROWS
from wizard.domain.inputs import without_unsafe_characters

CARD_WIDTH = 220
CARD_HEIGHT = 96
GAP = 16
MARGIN = 24
HEADER = 72
LINE_HEIGHT = 18
# Characters per line at 15px: Welsh titles are often longer, so they wrap onto more lines.
WRAP_AT = 24
MAX_LINES = 4


def _text(text: str) -> str:
    """Text for the SVG: escaped, and without characters XML forbids or that reorder text
    (titles saved before they were refused at input)."""
    return escape(without_unsafe_characters(text))


def wrap(title: str, width: int = WRAP_AT, lines: int = MAX_LINES) -> list[str]:
    """Split a title into lines that fit a card, shortening the last line with … if needed."""
    wrapped = textwrap.wrap(title, width=width, break_long_words=True, break_on_hyphens=True) or [
        ""
    ]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def board_svg(
    board: dict[int, str], cards: CardCatalogue, school_name: str, academic_year: int
) -> str:
    widest = max(len(row) for row in ROWS)
    width = MARGIN * 2 + widest * CARD_WIDTH + (widest - 1) * GAP
    height = HEADER + MARGIN + len(ROWS) * (CARD_HEIGHT + GAP) + MARGIN
    title = _("Professional learning Diamond 9")
    subtitle = f"{school_name} · {year_label(academic_year)}"
    parts = [
        # No fixed size: the viewBox keeps the proportions and the image fills its container
        # (a phone's screen, the PDF's column, an image viewer's window).
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" lang="{cards.locale}">',
        f'<title id="title">{_text(title)}</title>',
        f'<desc id="desc">{_text(subtitle)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 18}" font-family="Helvetica, Arial, sans-serif" font-size="22" font-weight="bold" fill="#0b0c0c">{_text(title)}</text>',
        f'<text x="{MARGIN}" y="{MARGIN + 44}" font-family="Helvetica, Arial, sans-serif" font-size="16" fill="#484949">{_text(subtitle)}</text>',
    ]
    for index, row in enumerate(ROWS):
        row_width = len(row) * CARD_WIDTH + (len(row) - 1) * GAP
        x0 = (width - row_width) / 2
        y = HEADER + MARGIN + index * (CARD_HEIGHT + GAP)
        for position, slot in enumerate(row):
            x = x0 + position * (CARD_WIDTH + GAP)
            key = board.get(slot)
            parts.append(
                f'<rect x="{x:.0f}" y="{y}" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" rx="6" '
                f'fill="{"#e8f1ec" if key else "#f3f2f1"}" stroke="{"#1d5e3b" if key else "#b1b4b6"}" stroke-width="2"/>'
            )
            label = _("Row %(row)d", row=index + 1)
            parts.append(
                f'<text x="{x + 10:.0f}" y="{y + 18}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#484949">{_text(label)}</text>'
            )
            if not key:
                continue
            card = cards[key]
            lines = wrap(card.title)
            top = y + 26 + (CARD_HEIGHT - 26 - len(lines) * LINE_HEIGHT) / 2 + 13
            lang = f' lang="{card.lang}"' if card.lang else ""
            parts.append(
                f'<text x="{x + CARD_WIDTH / 2:.0f}" y="{top:.0f}" text-anchor="middle" '
                f'font-family="Helvetica, Arial, sans-serif" font-size="15" font-weight="bold" fill="#0b0c0c"{lang}>'
            )
            for number, line in enumerate(lines):
                dy = 0 if number == 0 else LINE_HEIGHT
                parts.append(f'<tspan x="{x + CARD_WIDTH / 2:.0f}" dy="{dy}">{_text(line)}</tspan>')
            parts.append("</text>")
    parts.append("</svg>")
    return "\n".join(parts)
