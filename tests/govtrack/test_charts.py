"""The SVG charts work inline under a strict CSP and in PDFs: presentation attributes only."""

from datetime import date

from govtrack import charts


def test_heat_map_is_one_link_to_its_table_with_no_style_or_script():
    svg = charts.heat_map(
        title="Risks by likelihood and impact", description="2 open risks",
        rows=["5", "4", "3", "2", "1"],
        columns=["1", "2", "3", "4", "5"],
        cells={(0, 4): charts.Cell(text="2", fill="#d4351c")},
        link="#heat-table",
    )
    assert svg.startswith('<a class="govuk-link gt-chart-link" href="#heat-table">') and svg.count("<a ") == 1
    assert "<style" not in svg and "<script" not in svg and "style=" not in svg
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg


def test_every_label_is_at_least_body_text_size():
    import re

    svgs = [
        charts.heat_map(title="t", rows=["1"], columns=["1"], cells={}, row_axis="Likelihood", column_axis="Impact"),
        charts.line_chart(title="t", points=[(date(2026, 1, 1), 3), (date(2026, 2, 1), 5)], y_max=25, y_label="S"),
        charts.bar_chart(title="t", bars=[charts.Bar(label="Open", value=3)]),
    ]
    for svg in svgs:
        assert min(int(n) for n in re.findall(r'font-size="(\d+)"', svg)) >= charts.LABEL_SIZE


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
