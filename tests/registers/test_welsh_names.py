"""Reference data councils publish in both languages: registers, bands, categories and descriptors in Welsh."""

from django.utils import translation

from registers.models import RiskCategory, RiskMatrix


def test_a_new_matrix_has_welsh_bands_and_descriptors_and_english_stays_english(db, org_a):
    matrix = RiskMatrix.for_organisation(org_a)
    band = matrix.band_for(20)
    with translation.override("cy"):
        assert str(band) == "Uchel iawn"
        assert matrix.descriptor("likelihood", 5) == "Bron yn sicr"
        assert matrix.descriptor("impact", 1) == "Dibwys"
    with translation.override("en"):
        assert str(band) == "Very high" and matrix.descriptor("likelihood", 5) == "Almost certain"


def test_a_name_without_welsh_falls_back_to_english(db, org_a):
    matrix = RiskMatrix.for_organisation(org_a)
    named = RiskCategory.objects.create(matrix=matrix, name="Technology", name_cy="Technoleg", appetite=12)
    unnamed = RiskCategory.objects.create(matrix=matrix, name="Climate", appetite=10)
    with translation.override("cy"):
        assert (str(named), str(unnamed)) == ("Technoleg", "Climate")


def test_a_register_reads_its_welsh_name_in_welsh(corporate):
    register = corporate
    register.name, register.name_cy = "Corporate risk register", "Cofrestr risg gorfforaethol"
    with translation.override("cy"):
        assert str(register) == register.label == "Cofrestr risg gorfforaethol"
    assert str(register) == "Corporate risk register"


def test_welsh_descriptors_need_one_per_level(db, org_a):
    import pytest
    from django.core.exceptions import ValidationError

    matrix = RiskMatrix.for_organisation(org_a)
    matrix.likelihood_descriptors_cy = ["Prin", "Tebygol"]
    with pytest.raises(ValidationError, match="one descriptor per level"):
        matrix.clean()


def test_register_pages_name_registers_in_welsh_wherever_they_appear(client, login, project, make_risk, manager_a):
    """The risk page, its register's page and the escalation table name each register in the reader's language."""
    from django.conf import settings

    for register in (project, project.parent, project.parent.parent):
        register.name_cy = f"{register.name} (cy)"
        register.save()
    risk = make_risk(likelihood=5, impact=5)
    login(manager_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    for url in (risk.get_absolute_url(), project.get_absolute_url()):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
        assert "Flo project (cy)" in page, url
        assert "Social Care and Health (cy)" in page, url
