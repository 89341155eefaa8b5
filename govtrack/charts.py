"""Server-side SVG charts: a heat map grid and a line chart over dates.

Written here rather than taken from a chart library on purpose: the SVG uses presentation
attributes only (fill=, stroke=; no <style>, no <script>), so the same markup renders inline
under govtrack's strict Content-Security-Policy and in WeasyPrint's PDFs. Nothing here knows
about risks; callers pass labels, colours and links, so any app can draw with it. Every
chart has role="img" and a <title>; pages give a table or text alternative beside it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Cell:
    """One square of a heat map: what it shows, its colours, where it links and what it says."""

    text: str
    fill: str
    text_fill: str = "#0b0c0c"
    href: str = ""
    label: str = ""


@dataclass(frozen=True)
class Band:
    """A horizontal band behind a line chart (e.g. a score band), from ``low`` to ``high``."""

    low: float
    high: float
    fill: str
    label: str = ""


def _chart_id(prefix: str) -> str:
    # Several charts share a page (dashboards, board packs): each <title> needs its own id.
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _attrs(**attrs) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())


def _text(x: float, y: float, content: str, **attrs) -> str:
    attrs.setdefault("font_family", "Arial, sans-serif")
    attrs.setdefault("font_size", "14")
    attrs.setdefault("fill", "#0b0c0c")
    return f'<text {_attrs(x=f"{x:g}", y=f"{y:g}", **attrs)}>{escape(content)}</text>'


def heat_map(
    *,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: dict[tuple[int, int], Cell],
    row_axis: str = "",
    column_axis: str = "",
    cell_size: int = 64,
) -> SafeString:
    """A grid of linked cells; ``cells[(row, column)]`` with row 0 at the top."""
    left, top, bottom = 130, 10, 60
    width = left + cell_size * len(columns) + 10
    height = top + cell_size * len(rows) + bottom
    title_id = _chart_id("hm")
    # role="group", not "img": the cells are links that keyboard and screen-reader users must reach.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="group" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{title_id}" class="gt-chart">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    for r, row_label in enumerate(rows):
        y = top + r * cell_size
        parts.append(_text(left - 8, y + cell_size / 2 + 5, row_label, text_anchor="end", font_size="12"))
        for c in range(len(columns)):
            x = left + c * cell_size
            cell = cells.get((r, c))
            if cell is None:
                parts.append(f'<rect {_attrs(x=str(x), y=str(y), width=str(cell_size), height=str(cell_size))} '
                             'fill="#f3f2f1" stroke="#ffffff" stroke-width="2"/>')
                continue
            square = (f'<rect {_attrs(x=str(x), y=str(y), width=str(cell_size), height=str(cell_size))} '
                      f'fill="{escape(cell.fill)}" stroke="#ffffff" stroke-width="2"/>'
                      + _text(x + cell_size / 2, y + cell_size / 2 + 7, cell.text, text_anchor="middle",
                              font_size="20", font_weight="bold", fill=cell.text_fill))
            if cell.href:
                parts.append(f'<a {_attrs(href=cell.href, aria_label=cell.label or cell.text)}>'
                             f'<title>{escape(cell.label or cell.text)}</title>{square}</a>')
            else:
                parts.append(square)
    base = top + cell_size * len(rows)
    for c, column_label in enumerate(columns):
        parts.append(_text(left + c * cell_size + cell_size / 2, base + 18, column_label, text_anchor="middle",
                           font_size="11"))
    if column_axis:
        parts.append(_text(left + cell_size * len(columns) / 2, base + 46, column_axis, text_anchor="middle",
                           font_weight="bold"))
    if row_axis:
        parts.append(_text(12, top + 2, row_axis, font_weight="bold", font_size="12"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def line_chart(
    *,
    title: str,
    points: Sequence[tuple[date, float]],
    y_max: float,
    bands: Sequence[Band] = (),
    y_label: str = "",
    width: int = 640,
    height: int = 260,
    line_colour: str = "#1d70b8",
) -> SafeString:
    """Values over dates as a stepped line with dots, over optional coloured bands."""
    left, right, top, bottom = 50, 20, 15, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    title_id = _chart_id("lc")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{title_id}" class="gt-chart">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]

    def y_of(value: float) -> float:
        return top + plot_h - (value / y_max) * plot_h if y_max else top + plot_h

    for band in bands:
        y1, y2 = y_of(min(band.high, y_max)), y_of(band.low - 0.5 if band.low > 0 else 0)
        parts.append(f'<rect {_attrs(x=str(left), y=f"{y1:.1f}", width=str(plot_w), height=f"{max(y2 - y1, 0):.1f}")}'
                     f' fill="{escape(band.fill)}" fill-opacity="0.25"/>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
                 'stroke="#0b0c0c" stroke-width="1"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#0b0c0c" stroke-width="1"/>')
    step = 5 if y_max > 10 else 1
    for tick in range(0, int(y_max) + 1, step):
        parts.append(_text(left - 6, y_of(tick) + 4, str(tick), text_anchor="end", font_size="11"))
    if y_label:
        parts.append(_text(4, top - 2 if top > 12 else 12, y_label, font_size="11", font_weight="bold"))
    if points:
        first, last = points[0][0], points[-1][0]
        span = max((last - first).days, 1)

        def x_of(day: date) -> float:
            return left + 10 + ((day - first).days / span) * (plot_w - 20) if len(points) > 1 else left + plot_w / 2

        path = []
        for index, (day, value) in enumerate(points):
            x, y = x_of(day), y_of(value)
            if index:
                path.append(f"H {x:.1f} V {y:.1f}")
            else:
                path.append(f"M {x:.1f} {y:.1f}")
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{escape(line_colour)}" stroke-width="3"/>')
        for day, value in points:
            parts.append(f'<circle cx="{x_of(day):.1f}" cy="{y_of(value):.1f}" r="5" fill="{escape(line_colour)}">'
                         f"<title>{escape(f'{day:%d %b %Y}: {value:g}')}</title></circle>")
        parts.append(_text(x_of(first), top + plot_h + 18, f"{first:%b %Y}", text_anchor="start", font_size="11"))
        if len(points) > 1:
            parts.append(_text(x_of(last), top + plot_h + 18, f"{last:%b %Y}", text_anchor="end", font_size="11"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def swatch(colour: str, *, size: int = 14) -> SafeString:
    """A small coloured square to sit beside a band's name (the name carries the meaning)."""
    return mark_safe(  # noqa: S308 - the colour is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" aria-hidden="true" '
        f'focusable="false" class="gt-swatch"><rect width="{size}" height="{size}" fill="{escape(colour)}" '
        'stroke="#0b0c0c" stroke-width="1"/></svg>'
    )
