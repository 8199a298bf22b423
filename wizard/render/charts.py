"""Charts for the dashboard and the national view, drawn on the server as inline SVG: no chart
JavaScript, no style attributes (the content security policy forbids inline styles), the
number written on every cell and bar so that colour is never the only cue. Labels come in
already translated; each chart sits beside a table with the same numbers."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from xml.sax.saxutils import escape

from markupsafe import Markup

from wizard.domain.inputs import without_unsafe_characters

WIDTH = 640
FONT = 'font-family="Helvetica, Arial, sans-serif"'
INK = "#0b0c0c"
LINE = 20
WRAP = 70
# Light to dark shades of GOV.UK blue, for the heat map: the count is always written too.
SHADES = ("#f3f2f1", "#d2e2f1", "#a4c4e3", "#5694ca", "#1d70b8", "#003078")
# One colour per rating on the scale, lightest (not yet started) to darkest; the legend names
# them. "Not sure" is no point on the scale: it is drawn apart (stacked_bars_svg's `apart`).
SERIES = ("#f3f2f1", "#ffdd00", "#a4c4e3", "#1d70b8", "#003078")
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str
    """The value as written on the bar (money, a count)."""


def _t(text: str) -> str:
    return escape(without_unsafe_characters(str(text)))


def _ink_on(fill: str) -> str:
    """Black text on light fills, white on dark ones (contrast of at least 4.5:1)."""
    return "#ffffff" if fill in ("#1d70b8", "#003078") else INK


def _lines(text: str, width: int = WRAP) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def _open(title: str, height: int) -> list[str]:
    number = next(_ids)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="chart-title-{number}" class="app-chart" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="chart-title-{number}">{_t(title)}</title>',
    ]


def _label(x: int, y: int, text: str, size: int = 15, anchor: str = "start") -> str:
    return (
        f'<text x="{x}" y="{y}" {FONT} font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}">{_t(text)}</text>'
    )


HEAT_HEADER = 40
HEAT_CELL = 36


def _heat_block_height(lines: Sequence[str]) -> int:
    return len(lines) * LINE + HEAT_CELL + 12


def heat_map_svg(
    title: str, columns: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]], most: int
) -> Markup:
    """A grid of cards (each named above its cells) by Diamond 9 row, the number of schools
    written in every cell and the cell shaded by it."""
    blocks: list[tuple[list[str], Sequence[int]]] = [(_lines(label), c) for label, c in rows]
    return _heat_map(title, columns, blocks, most)


def heat_map_parts(
    title: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int]]],
    most: int,
    max_height: int,
    part_title: Callable[[int, int], str],
) -> list[Markup]:
    """The heat map split by rows into charts no taller than `max_height` (in the chart's
    units: 640 across), each with the column names, for a page that cannot split one image
    (the PDF). The shading scale (`most`) is the whole map's, so parts compare; each part is
    titled `part_title(number, count)` (a single part keeps `title`)."""
    blocks: list[tuple[list[str], Sequence[int]]] = [(_lines(label), c) for label, c in rows]
    groups: list[list[tuple[list[str], Sequence[int]]]] = [[]]
    height = HEAT_HEADER + 4
    for block in blocks:
        block_height = _heat_block_height(block[0])
        if groups[-1] and height + block_height > max_height:
            groups.append([])
            height = HEAT_HEADER + 4
        groups[-1].append(block)
        height += block_height
    if len(groups) == 1:
        return [_heat_map(title, columns, groups[0], most)]
    return [
        _heat_map(part_title(number, len(groups)), columns, group, most)
        for number, group in enumerate(groups, start=1)
    ]


def _heat_map(
    title: str,
    columns: Sequence[str],
    blocks: Sequence[tuple[list[str], Sequence[int]]],
    most: int,
) -> Markup:
    width = WIDTH // len(columns)
    height = HEAT_HEADER + sum(_heat_block_height(lines) for lines, _ in blocks) + 4
    parts = _open(title, height)
    for index, column in enumerate(columns):
        parts.append(_label(index * width + width // 2, 24, column, 14, "middle"))
    y = HEAT_HEADER
    for lines, counts in blocks:
        for line in lines:
            y += LINE
            parts.append(_label(0, y - 5, line))
        for index, value in enumerate(counts):
            shade = SHADES[(value * 5 + most - 1) // most if most and value > 0 else 0]
            x = index * width
            parts.append(
                f'<rect x="{x + 1}" y="{y}" width="{width - 2}" height="{HEAT_CELL}" '
                f'fill="{shade}" stroke="{INK}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{x + width // 2}" y="{y + 24}" {FONT} font-size="16" '
                f'font-weight="bold" fill="{_ink_on(shade)}" text-anchor="middle">{value}</text>'
            )
        y += HEAT_CELL + 12
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars_svg(
    title: str,
    series: Sequence[str],
    bars: Sequence[tuple[str, Sequence[int]]],
    apart: int = 0,
) -> Markup:
    """One horizontal bar per item split into its series (ratings), each part with its count
    written on it, and a legend naming every series with its colour and its position.

    The last `apart` series are not points on the scale ("Not sure"): each is drawn apart,
    to the right of the bar, as a white box with a dashed edge and its count, and named in the
    legend without a position (never as the darkest level of the scale)."""
    bar_height = 32
    scale = len(series) - apart
    aside = 150 if apart else 0
    bar_width = WIDTH - aside
    legend = [
        (f"{index + 1}. {name}" if index < scale else name, index)
        for index, name in enumerate(series)
    ]
    blocks = [(_lines(label), counts) for label, counts in bars]
    height = len(legend) * 26 + 16
    height += sum(len(lines) * LINE + bar_height + 14 for lines, _ in blocks)
    parts = _open(title, height)
    y = 0
    for name, index in legend:
        if index < scale:
            colour = SERIES[index % len(SERIES)]
            parts.append(
                f'<rect x="0" y="{y + 6}" width="18" height="18" fill="{colour}" stroke="{INK}"/>'
            )
        else:
            parts.append(
                f'<rect x="0" y="{y + 6}" width="18" height="18" fill="#ffffff" stroke="{INK}" '
                f'stroke-dasharray="4 2"/>'
            )
        parts.append(_label(26, y + 20, name, 14))
        y += 26
    y += 16
    for lines, counts in blocks:
        for line in lines:
            y += LINE
            parts.append(_label(0, y - 5, line))
        on_scale = list(counts[:scale])
        total = sum(on_scale)
        x = 0.0
        if not total:
            parts.append(
                f'<rect x="0" y="{y}" width="{bar_width - (10 if apart else 0)}" '
                f'height="{bar_height}" fill="#ffffff" stroke="{INK}"/>'
            )
            parts.append(_label(8, y + 21, "0", 14))
        for index, value in enumerate(on_scale):
            if not value:
                continue
            width = (bar_width - (10 if apart else 0)) * value / total
            colour = SERIES[index % len(SERIES)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar_height}" '
                f'fill="{colour}" stroke="{INK}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{y + 21}" {FONT} font-size="14" '
                f'font-weight="bold" fill="{_ink_on(colour)}" text-anchor="middle">'
                f"{index + 1}: {value}</text>"
            )
            x += width
        for offset, value in enumerate(counts[scale:]):
            left = bar_width + offset * aside
            parts.append(
                f'<rect x="{left}" y="{y}" width="{aside - 10}" height="{bar_height}" '
                f'fill="#ffffff" stroke="{INK}" stroke-dasharray="4 2"/>'
            )
            parts.append(
                f'<text x="{left + (aside - 10) / 2:.1f}" y="{y + 21}" {FONT} font-size="14" '
                f'fill="{INK}" text-anchor="middle">{_t(series[scale + offset])}: {value}</text>'
            )
        y += bar_height + 14
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_svg(title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, each named above it, its value written beside or on it."""
    bar_height = 28
    most = max((bar.value for bar in bars), default=0)
    blocks = [(_lines(bar.label), bar) for bar in bars]
    height = sum(len(lines) * LINE + bar_height + 12 for lines, _ in blocks) + 4
    parts = _open(title, height)
    y = 0
    for lines, bar in blocks:
        for line in lines:
            y += LINE
            parts.append(_label(0, y - 5, line))
        width = (WIDTH - 160) * bar.value / most if most else 0
        parts.append(
            f'<rect x="0" y="{y}" width="{max(width, 2):.1f}" height="{bar_height}" '
            f'fill="#1d70b8"/>'
        )
        parts.append(_label(int(max(width, 2)) + 8, y + 20, bar.text, 15))
        y += bar_height + 12
    parts.append("</svg>")
    return Markup("".join(parts))
