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
