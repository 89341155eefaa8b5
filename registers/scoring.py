"""Pure scoring rules: bands, review intervals, trend and the escalation rule.

Nothing here touches the database, so every rule is tested on plain objects. The matrix,
register and risk passed in only need the attributes these functions read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from django.utils.translation import gettext as _


class BandLike(Protocol):
    name: str
    min_score: int
    colour: str
    review_days: int


@dataclass(frozen=True)
class DefaultBand:
    """A band of the default 5x5 matrix, used to seed a new organisation's matrix."""

    name: str
    min_score: int
    colour: str
    text_colour: str
    review_days: int


# The 5x5 bands most UK councils use; review very high risks monthly and low risks yearly.
DEFAULT_BANDS = (
    DefaultBand("Low", 1, "#00703c", "#ffffff", 365),
    DefaultBand("Medium", 5, "#ffdd00", "#0b0c0c", 180),
    DefaultBand("High", 10, "#f47738", "#0b0c0c", 90),
    DefaultBand("Very high", 16, "#d4351c", "#ffffff", 30),
)
DEFAULT_LIKELIHOOD = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
DEFAULT_IMPACT = ("Negligible", "Minor", "Moderate", "Major", "Critical")
# The same in Welsh, as Welsh councils publish their matrices.
DEFAULT_BAND_NAMES_CY = {"Low": "Isel", "Medium": "Canolig", "High": "Uchel", "Very high": "Uchel iawn"}
DEFAULT_LIKELIHOOD_CY = ("Prin", "Annhebygol", "Posibl", "Tebygol", "Bron yn sicr")
DEFAULT_IMPACT_CY = ("Dibwys", "Bach", "Cymedrol", "Mawr", "Critigol")


def score(likelihood: int | None, impact: int | None) -> int | None:
    """A score is likelihood times impact; None when either is not set."""
    if not likelihood or not impact:
        return None
    return likelihood * impact


def sorted_bands(bands: Iterable[BandLike]) -> list[BandLike]:
    return sorted(bands, key=lambda band: band.min_score)


def band_for(matrix: Any, value: int | None) -> BandLike | None:
    """The band a score falls in: the highest band whose lower bound the score reaches."""
    if value is None:
        return None
    found = None
    for band in sorted_bands(matrix.band_list):
        if value >= band.min_score:
            found = band
    return found


def band_range(matrix: Any, band: BandLike) -> tuple[int, int]:
    """The (lowest, highest) score of a band, for filtering in the database."""
    bands = sorted_bands(matrix.band_list)
    index = [b.min_score for b in bands].index(band.min_score)
    upper = bands[index + 1].min_score - 1 if index + 1 < len(bands) else matrix.max_score
    return band.min_score, upper


def next_review_date(matrix: Any, value: int | None, reviewed_on: date) -> date:
    """A review sets the next one: sooner for higher bands, as the matrix says."""
    band = band_for(matrix, value)
    return reviewed_on + timedelta(days=band.review_days if band else 365)


def trend(previous: int | None, current: int | None) -> str:
    """'up', 'down', 'steady' or 'new' (no earlier score to compare)."""
    if previous is None or current is None:
        return "new"
    if current > previous:
        return "up"
    if current < previous:
        return "down"
    return "steady"


def within_scale(value: int | None, levels: int) -> bool:
    return value is None or 1 <= value <= levels


def should_escalate(risk: Any) -> bool:
    """Whether a risk should be proposed for escalation from the highest register it sits on.

    It should when it is open, that register has a parent and a threshold, its current score
    reaches the threshold, nothing is waiting for a decision, and the parent has not already
    turned it down (or sent it back) at this score or higher.
    """
    if risk.status != "open":
        return False
    register = risk.top_register
    if register is None or register.parent_id is None or not register.escalation_threshold:
        return False
    current = score(risk.current_likelihood, risk.current_impact)
    if current is None or current < register.escalation_threshold:
        return False
    for escalation in risk.escalation_list:
        if escalation.to_register_id != register.parent_id:
            continue
        if escalation.status in ("proposed", "accepted"):
            return False
        if escalation.status in ("rejected", "de_escalated") and (escalation.score or 0) >= current:
            return False
    return True


def score_on(history: Sequence[tuple[date, int]], day: date) -> int | None:
    """The score recorded by the last review on or before ``day`` (history sorted by date)."""
    found = None
    for when, value in history:
        if when <= day:
            found = value
        else:
            break
    return found


def band_problems(min_scores: Sequence[int], max_score: int) -> list[str]:
    """Why bands starting at these scores would not cover every score from 1 to ``max_score`` exactly once."""
    problems = []
    if 1 not in min_scores:
        problems.append(_("One band must start at 1, so every score has a band."))
    if len(set(min_scores)) != len(min_scores):
        problems.append(_("Two bands start at the same score; each score belongs to one band."))
    if any(score < 1 or score > max_score for score in min_scores):
        problems.append(_("Every band starts between 1 and %(max)s.") % {"max": max_score})
    return problems
