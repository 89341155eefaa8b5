"""Server-side SVG charts: a heat map grid and a line chart over dates.

Written here rather than taken from a chart library on purpose: the SVG uses presentation
attributes only (fill=, stroke=; no <style>, no <script>), so the same markup renders inline
under govtrack's strict Content-Security-Policy and in WeasyPrint's PDFs. Nothing here knows
about risks; callers pass labels, colours and links, so any app can draw with it. Every
chart has role="img", a <title> and a <desc>; pages and packs give its data table beside it.

Text is drawn at ``LABEL_SIZE`` (GOV.UK's body text, 19 px) or larger, and pages show charts at
their own size inside a scrolling region rather than shrinking them, so no label is smaller than
the text around it. A chart holds no links of its own: a heat map of 25 linked cells would be 25
tab stops. ``heat_map(link=...)`` makes the whole chart one link, to its data table, whose numbers
link to the records behind them.
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
    """One square of a heat map: what it shows and its colours."""

    text: str
    fill: str
    text_fill: str = "#0b0c0c"


@dataclass(frozen=True)
class Band:
    """A horizontal band behind a line chart (e.g. a score band), from ``low`` to ``high``."""

    low: float
    high: float
    fill: str
    label: str = ""


#: The smallest text a chart draws: GOV.UK body text (19 px), so labels are never smaller than the page's.
LABEL_SIZE = 19


def _chart_id(prefix: str) -> str:
    # Several charts share a page (dashboards, board packs): each <title> needs its own id.
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _attrs(**attrs) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())


def _text(x: float, y: float, content: str, **attrs) -> str:
    attrs.setdefault("font_family", "Arial, sans-serif")
    attrs.setdefault("font_size", str(LABEL_SIZE))
    attrs.setdefault("fill", "#0b0c0c")
    return f'<text {_attrs(x=f"{x:g}", y=f"{y:g}", **attrs)}>{escape(content)}</text>'


def _open_svg(*, prefix: str, title: str, description: str, width: float, height: float) -> list[str]:
    title_id, desc_id = _chart_id(prefix), _chart_id(f"{prefix}d")
    labelled = f"{title_id} {desc_id}" if description else title_id
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" aria-labelledby="{labelled}" focusable="false" class="gt-chart-svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{desc_id}">{escape(description)}</desc>')
    return parts


def heat_map(
    *,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: dict[tuple[int, int], Cell],
    row_axis: str = "",
    column_axis: str = "",
    description: str = "",
    link: str = "",
    cell_size: int = 50,
) -> SafeString:
    """A grid of coloured cells; ``cells[(row, column)]`` with row 0 at the top.

    Axis labels are short (the levels' numbers); their names belong in the data table. With
    ``link`` (the data table's address, ``#heat-table``) the whole chart is one link: one tab stop.
    """
    label_width = max([len(str(label)) for label in rows] + [1]) * LABEL_SIZE * 0.6
    left, top, bottom = label_width + 14, 34 if row_axis else 8, 66 if column_axis else 36
    width = left + cell_size * len(columns) + 8
    height = top + cell_size * len(rows) + bottom
    parts = _open_svg(prefix="hm", title=title, description=description, width=width, height=height)
    if row_axis:
        parts.append(_text(4, 22, row_axis, font_weight="bold"))
    for r, row_label in enumerate(rows):
        y = top + r * cell_size
        parts.append(_text(left - 8, y + cell_size / 2 + 7, row_label, text_anchor="end"))
        for c in range(len(columns)):
            x = left + c * cell_size
            cell = cells.get((r, c))
            box = _attrs(x=f"{x:g}", y=f"{y:g}", width=str(cell_size), height=str(cell_size))
            if cell is None:
                parts.append(f'<rect {box} fill="#f3f2f1" stroke="#ffffff" stroke-width="2"/>')
                continue
            parts.append(f'<rect {box} fill="{escape(cell.fill)}" stroke="#ffffff" stroke-width="2"/>')
            if cell.text:
                parts.append(_text(x + cell_size / 2, y + cell_size / 2 + 8, cell.text, text_anchor="middle",
                                   font_size=str(LABEL_SIZE + 3), font_weight="bold", fill=cell.text_fill))
    base = top + cell_size * len(rows)
    for c, column_label in enumerate(columns):
        parts.append(_text(left + c * cell_size + cell_size / 2, base + 24, column_label, text_anchor="middle"))
    if column_axis:
        parts.append(_text(left + cell_size * len(columns) / 2, base + 54, column_axis, text_anchor="middle",
                           font_weight="bold"))
    parts.append("</svg>")
    svg = "".join(parts)
    if link:
        svg = f'<a class="govuk-link gt-chart-link" {_attrs(href=link)}>{svg}</a>'
    return mark_safe(svg)  # noqa: S308 - every value above is escaped


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart: its label, value and colour (the label and value carry the meaning)."""

    label: str
    value: float
    fill: str = "#1d70b8"
    text: str = ""


def bar_chart(*, title: str, bars: Sequence[Bar], description: str = "", maximum: float | None = None,
              width: int = 560) -> SafeString:
    """Horizontal bars, each with its label above it and its value beside it (readable at any width)."""
    bar_h, gap, label_h = 22, 14, LABEL_SIZE + 8
    row_h = label_h + bar_h + gap
    height = max(len(bars), 1) * row_h + 8
    top_value = maximum if maximum else max([b.value for b in bars] + [1])
    value_w = 90
    parts = _open_svg(prefix="bc", title=title, description=description, width=width, height=height)
    for index, bar in enumerate(bars):
        y = 4 + index * row_h
        parts.append(_text(0, y + LABEL_SIZE, bar.label))
        length = (width - value_w) * (bar.value / top_value if top_value else 0)
        parts.append(f'<rect {_attrs(x="0", y=f"{y + label_h:g}", width=f"{max(length, 2):.1f}", height=str(bar_h))}'
                     f' fill="{escape(bar.fill)}"/>')
        parts.append(_text(max(length, 2) + 8, y + label_h + bar_h - 4, bar.text or f"{bar.value:g}",
                           font_weight="bold"))
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
    description: str = "",
) -> SafeString:
    """Values over dates as a stepped line with dots, over optional coloured bands."""
    left, right, top, bottom = 50, 20, 30, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open_svg(prefix="lc", title=title, description=description, width=width, height=height)

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
        parts.append(_text(left - 6, y_of(tick) + 6, str(tick), text_anchor="end"))
    if y_label:
        parts.append(_text(4, LABEL_SIZE, y_label, font_weight="bold"))
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
        parts.append(_text(x_of(first), top + plot_h + 26, f"{first:%b %Y}", text_anchor="start"))
        if len(points) > 1:
            parts.append(_text(x_of(last), top + plot_h + 26, f"{last:%b %Y}", text_anchor="end"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def swatch(colour: str, *, size: int = 14) -> SafeString:
    """A small coloured square to sit beside a band's name (the name carries the meaning)."""
    return mark_safe(  # noqa: S308 - the colour is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" aria-hidden="true" '
        f'focusable="false" class="gt-swatch"><rect width="{size}" height="{size}" fill="{escape(colour)}" '
        'stroke="#0b0c0c" stroke-width="1"/></svg>'
    )
