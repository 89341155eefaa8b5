"""Pure scoring rules, without a database."""

from datetime import date
from types import SimpleNamespace

import pytest

from registers import scoring

MATRIX = SimpleNamespace(
    band_list=[SimpleNamespace(name=b.name, min_score=b.min_score, colour=b.colour, review_days=b.review_days)
               for b in scoring.DEFAULT_BANDS],
    max_score=25,
)


@pytest.mark.parametrize(("value", "band"), [
    (1, "Low"), (4, "Low"), (5, "Medium"), (9, "Medium"), (10, "High"), (15, "High"), (16, "Very high"),
    (25, "Very high"),
])
def test_band_for_puts_each_score_in_its_band(value, band):
    assert scoring.band_for(MATRIX, value).name == band


def test_band_for_nothing_is_nothing():
    assert scoring.band_for(MATRIX, None) is None


def test_band_range_runs_to_the_next_band_or_the_top_of_the_matrix():
    bands = MATRIX.band_list
    assert scoring.band_range(MATRIX, bands[0]) == (1, 4)
    assert scoring.band_range(MATRIX, bands[-1]) == (16, 25)


def test_higher_bands_are_reviewed_sooner():
    reviewed = date(2026, 1, 1)
    assert scoring.next_review_date(MATRIX, 20, reviewed) == date(2026, 1, 31)
    assert scoring.next_review_date(MATRIX, 2, reviewed) == date(2027, 1, 1)


def test_trend_compares_with_the_previous_score():
    assert scoring.trend(None, 12) == "new"
    assert scoring.trend(9, 12) == "up"
    assert scoring.trend(12, 9) == "down"
    assert scoring.trend(9, 9) == "steady"


def test_score_on_a_date_is_the_last_review_on_or_before_it():
    history = [(date(2026, 1, 1), 6), (date(2026, 4, 1), 12), (date(2026, 7, 1), 16)]
    assert scoring.score_on(history, date(2025, 12, 31)) is None
    assert scoring.score_on(history, date(2026, 4, 1)) == 12
    assert scoring.score_on(history, date(2026, 6, 30)) == 12


def _risk(score_l, score_i, *, threshold=12, parent=True, escalations=(), status="open"):
    register = SimpleNamespace(parent_id=2 if parent else None, escalation_threshold=threshold)
    return SimpleNamespace(status=status, top_register=register, current_likelihood=score_l,
                           current_impact=score_i, escalation_list=list(escalations))


def test_a_risk_below_the_threshold_does_not_escalate():
    assert not scoring.should_escalate(_risk(1, 11))


def test_a_risk_at_the_threshold_escalates():
    assert scoring.should_escalate(_risk(3, 4))


def test_a_risk_above_the_threshold_escalates():
    assert scoring.should_escalate(_risk(4, 5))


def test_a_risk_on_a_register_without_parent_or_threshold_does_not_escalate():
    assert not scoring.should_escalate(_risk(5, 5, parent=False))
    assert not scoring.should_escalate(_risk(5, 5, threshold=None))


def test_a_closed_risk_does_not_escalate():
    assert not scoring.should_escalate(_risk(5, 5, status="closed"))


def test_a_risk_waiting_for_a_decision_is_not_proposed_again():
    pending = SimpleNamespace(to_register_id=2, status="proposed", score=12)
    assert not scoring.should_escalate(_risk(4, 4, escalations=[pending]))


def test_a_rejected_risk_is_proposed_again_only_when_its_score_rises():
    rejected = SimpleNamespace(to_register_id=2, status="rejected", score=12)
    assert not scoring.should_escalate(_risk(3, 4, escalations=[rejected]))
    assert scoring.should_escalate(_risk(4, 4, escalations=[rejected]))
