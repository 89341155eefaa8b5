"""The SVG charts work inline under a strict CSP and in PDFs: presentation attributes only."""

from datetime import date

from govtrack import charts


def test_heat_map_cells_link_and_the_svg_has_no_style_or_script():
    svg = charts.heat_map(
        title="Risks by likelihood and impact",
        rows=["5", "4", "3", "2", "1"],
        columns=["1", "2", "3", "4", "5"],
        cells={(0, 4): charts.Cell(text="2", fill="#d4351c", href="?likelihood=5&impact=5", label="2 risks")},
    )
    assert 'href="?likelihood=5&amp;impact=5"' in svg and 'aria-label="2 risks"' in svg
    assert "<style" not in svg and "<script" not in svg and "style=" not in svg
    assert 'role="group"' in svg and "<title id=" in svg


def test_values_are_escaped():
    svg = charts.heat_map(title="<b>x</b>", rows=["a"], columns=["b"],
                          cells={(0, 0): charts.Cell(text="<script>", fill="#fff")})
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_two_charts_on_one_page_have_distinct_title_ids():
    points = [(date(2026, 1, 1), 12), (date(2026, 6, 1), 16)]
    first = charts.line_chart(title="Score", points=points, y_max=25)
    second = charts.line_chart(title="Score", points=points, y_max=25)
    ids = [s.split('<title id="')[1].split('"')[0] for s in (first, second)]
    assert ids[0] != ids[1]
    assert 'role="img"' in first and "<polyline" in first or "<path" in first
