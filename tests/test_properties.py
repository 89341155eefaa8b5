"""Property tests (hypothesis): the importers' cell parsers, the export neutraliser and the scoring rules.

Whatever a spreadsheet cell or a request holds, a parser either gives a value within its rule or
refuses with its own plain error; nothing else escapes. Pure functions, no database: fast.
"""

import codecs
from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from govtrack import bounds, cells
from govtrack.spreadsheets import FORMULA_STARTS, ILLEGAL, safe_cell
from registers import scoring

CELL = st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.decimals(allow_nan=True), st.none(),
                 st.booleans())


@given(value=CELL, low=st.integers(-5, 5), span=st.integers(0, 30))
def test_a_whole_number_cell_is_within_its_range_or_refused_plainly(value, low, span):
    high = low + span
    try:
        number = cells.whole_number(value, low=low, high=high)
    except cells.CellError as exc:
        assert "is not a whole number between" in str(exc)
    else:
        assert number is None or (isinstance(number, int) and low <= number <= high)


@given(number=st.integers(1, 5), spaces=st.text(" ", max_size=2))
def test_a_whole_number_however_written_is_read_exactly(number, spaces):
    for written in (str(number), f"{number}.0", f"{spaces}{number}{spaces}", number, float(number)):
        assert cells.whole_number(written, low=1, high=5) == number


@given(number=st.integers(1, 4))
def test_a_fraction_is_never_rounded(number):
    try:
        cells.whole_number(f"{number}.5", low=1, high=5)
    except cells.CellError:
        return
    raise AssertionError("a fraction was accepted")


@given(content=st.binary(max_size=300))
def test_any_bytes_decode_to_text_in_a_known_encoding_or_are_refused(content):
    try:
        text, encoding = cells.decode_text(content)
    except cells.CellError as exc:
        assert "CSV UTF-8" in str(exc)
    else:
        assert isinstance(text, str) and encoding in cells.ENCODINGS


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_text_in_utf8_or_utf16_with_a_bom_comes_back_unchanged(text):
    for content in (text.encode("utf-8"), codecs.BOM_UTF8 + text.encode("utf-8"), text.encode("utf-16")):
        assert cells.decode_text(content)[0] == text


@given(value=st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_an_exported_cell_never_starts_a_formula_nor_holds_what_xlsx_cannot(value):
    safe = safe_cell(value)
    if isinstance(value, str):
        assert not safe.startswith(FORMULA_STARTS)
        assert not ILLEGAL.search(safe)
        assert safe.lstrip("'") == ILLEGAL.sub("\ufffd", value).lstrip("'") or safe == "'" + ILLEGAL.sub("\ufffd",
                                                                                                          value)
    else:
        assert safe == ("" if value is None else value)


@given(text=st.text(max_size=300))
def test_a_text_is_either_clean_or_its_problem_named(text):
    problem = bounds.text_problem(text, limit=100)
    clean = not bounds.CONTROL.search(text) and len(text) <= 100
    assert (problem is None) == clean


def _matrix(levels: int, minimums: list[int]):
    bands = [SimpleNamespace(name=f"B{m}", min_score=m, review_days=30 * (i + 1)) for i, m in enumerate(minimums)]
    return SimpleNamespace(band_list=bands, max_score=levels * levels, likelihood_levels=levels, impact_levels=levels)


@st.composite
def matrices(draw):
    levels = draw(st.integers(2, 7))
    top = levels * levels
    inner = draw(st.lists(st.integers(2, top), unique=True, max_size=4))
    return _matrix(levels, sorted({1, *inner}))


@given(matrix=matrices())
def test_every_score_falls_in_exactly_one_band_and_its_range(matrix):
    for value in range(1, matrix.max_score + 1):
        band = scoring.band_for(matrix, value)
        holding = [b for b in matrix.band_list if scoring.band_range(matrix, b)[0] <= value
                   <= scoring.band_range(matrix, b)[1]]
        assert holding == [band]


@given(likelihood=st.integers(1, 7), impact=st.integers(1, 7))
def test_a_score_is_likelihood_times_impact(likelihood, impact):
    assert scoring.score(likelihood, impact) == likelihood * impact
    assert scoring.score(None, impact) is None and scoring.score(likelihood, None) is None


@given(previous=st.one_of(st.none(), st.integers(1, 49)), current=st.one_of(st.none(), st.integers(1, 49)))
def test_a_trend_compares_two_scores(previous, current):
    result = scoring.trend(previous, current)
    if previous is None or current is None:
        assert result == "new"
    else:
        assert result == {True: "up", False: "down"}.get(current > previous) if current != previous else "steady"


@given(history=st.lists(st.tuples(st.dates(date(2000, 1, 1), date(2030, 1, 1)), st.integers(1, 25)), max_size=8),
       day=st.dates(date(2000, 1, 1), date(2030, 1, 1)))
def test_the_score_on_a_day_is_the_last_recorded_by_then(history, day):
    history = sorted(history, key=lambda pair: pair[0])
    before = [value for when, value in history if when <= day]
    assert scoring.score_on(history, day) == (before[-1] if before else None)


@given(matrix=matrices(), value=st.integers(1, 49), reviewed=st.dates(date(2000, 1, 1), date(2100, 1, 1)))
def test_the_next_review_is_sooner_for_a_higher_band(matrix, value, reviewed):
    value = min(value, matrix.max_score)
    due = scoring.next_review_date(matrix, value, reviewed)
    assert due - reviewed == timedelta(days=scoring.band_for(matrix, value).review_days)
