"""A dated matrix: each save keeps the matrix as a version, and a review is read against the version and band
of its day, so renaming or moving bands later never rewrites what a board was told."""

from datetime import date

from django.urls import reverse

from registers import services
from registers.models import MatrixVersion, RiskMatrix


def _bands(matrix, **renames):
    return [{"pk": b.pk, "name": renames.get(b.name, b.name), "name_cy": b.name_cy, "min_score": b.min_score,
             "colour": b.colour, "text_colour": b.text_colour, "review_days": b.review_days}
            for b in matrix.band_list]


def test_a_review_keeps_the_band_and_version_of_its_day_after_the_matrix_changes(
        org_a, manager_a, officer_a, make_risk, login):
    risk = make_risk(4, 5)  # 20: "Very high" in the default matrix
    risk.record_review(by=officer_a, reviewed_on=date(2026, 1, 10), current_likelihood=4, current_impact=5)
    first = MatrixVersion.objects.get()
    assert first.number == 1 and first.snapshot["bands"][-1]["name"] == "Very high"
    matrix = RiskMatrix.objects.get(organisation=org_a)
    services.update_matrix(matrix=matrix, bands=_bands(RiskMatrix.for_organisation(org_a), **{"Very high": "Severe"}),
                           categories=[], by=manager_a)
    assert list(MatrixVersion.objects.order_by("number").values_list("number", "changed_by")) == [
        (1, None), (2, manager_a.pk)]
    assert MatrixVersion.objects.get(number=2).snapshot["bands"][-1]["name"] == "Severe"
    review = risk.reviews.get()
    assert (review.band_name, review.matrix_version.number) == ("Very high", 1)
    page = login(manager_a).get(risk.get_absolute_url()).content.decode()
    assert "Very high" in page and "matrix version 1" in page
    matrix_page = login(manager_a).get(reverse("registers:matrix_detail", args=[org_a.slug])).content.decode()
    assert "Version 2, in force from" in matrix_page and "Version 1, in force from" in matrix_page


def test_a_refused_change_keeps_no_version(org_a, manager_a):
    matrix = RiskMatrix.for_organisation(org_a)
    bands = _bands(matrix)
    bands[1]["min_score"] = bands[0]["min_score"]  # two bands start at the same score
    try:
        services.update_matrix(matrix=RiskMatrix.objects.get(pk=matrix.pk), bands=bands, categories=[], by=manager_a)
    except Exception:  # noqa: BLE001 - the refusal itself is tested with the matrix page
        pass
    assert not MatrixVersion.objects.filter(number=2).exists()
