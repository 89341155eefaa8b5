"""Managers change their organisation's risk matrix in govtrack's pages; officers cannot."""

from django.urls import reverse

from registers.models import MatrixBand, RiskMatrix


def _post_data(matrix, **changes):
    data = {"name": matrix.name, "version": matrix.version,
            "likelihood_descriptors": "\n".join(matrix.likelihood_descriptors),
            "impact_descriptors": "\n".join(matrix.impact_descriptors),
            "likelihood_descriptors_cy": "\n".join(matrix.likelihood_descriptors_cy),
            "impact_descriptors_cy": "\n".join(matrix.impact_descriptors_cy)}
    for index, band in enumerate(matrix.bands.order_by("min_score")):
        for name in ("name", "name_cy", "min_score", "colour", "review_days"):
            data[f"band_{index}_{name}"] = getattr(band, name)
    for category in matrix.categories.all():
        data[f"appetite_{category.pk}"] = category.appetite
    data.update(changes)
    return data


def test_a_manager_changes_the_matrix_and_an_officer_cannot(login, manager_a, officer_a, org_a):
    matrix = RiskMatrix.for_organisation(org_a)
    url = reverse("registers:matrix_edit", args=["org-a"])
    detail = reverse("registers:matrix_detail", args=["org-a"])
    assert login(officer_a).get(url).status_code == 403
    assert login(officer_a).post(url, _post_data(matrix, band_0_review_days=7)).status_code == 403
    assert url not in login(officer_a).get(detail).text and url in login(manager_a).get(detail).text
    matrix = RiskMatrix.objects.get(pk=matrix.pk)
    lowest = matrix.bands.order_by("min_score").first()
    response = login(manager_a).post(url, _post_data(matrix, band_0_review_days=7, band_0_name_cy="Isel iawn",
                                                     new_category="Technology", new_category_appetite=12))
    assert response.status_code == 302, response.content.decode()[:3000]
    lowest.refresh_from_db()
    assert (lowest.review_days, lowest.name_cy) == (7, "Isel iawn")
    assert lowest.history.first().history_user == manager_a
    assert RiskMatrix.for_organisation(org_a).categories.get(name="Technology").appetite == 12


def test_bands_must_cover_every_score_once(login, manager_a, org_a):
    matrix = RiskMatrix.objects.get(pk=RiskMatrix.for_organisation(org_a).pk)
    before = list(MatrixBand.objects.filter(matrix=matrix).values_list("min_score", flat=True))
    url = reverse("registers:matrix_edit", args=["org-a"])
    response = login(manager_a).post(url, _post_data(matrix, band_0_min_score=2))
    assert response.status_code == 400 and "One band must start at 1" in response.text
    response = login(manager_a).post(url, _post_data(matrix, band_1_min_score=before[2]))
    assert response.status_code == 400 and "Two bands start at the same score" in response.text
    assert list(MatrixBand.objects.filter(matrix=matrix).values_list("min_score", flat=True)) == before


def test_a_preview_shows_the_heat_map_as_set_and_saves_nothing(login, manager_a, org_a):
    matrix = RiskMatrix.objects.get(pk=RiskMatrix.for_organisation(org_a).pk)
    url = reverse("registers:matrix_edit", args=["org-a"])
    client = login(manager_a)
    assert "The matrix as it is now" in client.get(url).content.decode()
    top = matrix.bands.count() - 1
    preview = client.post(url, _post_data(matrix, preview="1", **{f"band_{top}_name": "Severe"}))
    page = preview.content.decode()
    assert preview.status_code == 200 and "Preview: the matrix as you have set it (not saved)" in page
    assert "Severe" in page
    assert not MatrixBand.objects.filter(name="Severe").exists()
    assert RiskMatrix.objects.get(pk=matrix.pk).version == matrix.version
    gap = client.post(url, _post_data(matrix, preview="1", band_1_min_score=matrix.bands.order_by(
        "min_score")[0].min_score))
    assert gap.status_code == 400 and not MatrixBand.objects.filter(name="Severe").exists()
