"""Bad input is refused with a clear error and nothing changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registers.models import Register, RiskMatrix, RiskReview
from tests.factories import OrganisationFactory
from tests.registers.factories import RegisterFactory


def test_new_organisation_gets_the_default_five_by_five_matrix(org_a):
    matrix = RiskMatrix.for_organisation(org_a)
    assert (matrix.likelihood_levels, matrix.impact_levels, matrix.max_score) == (5, 5, 25)
    assert [b.name for b in matrix.band_list] == ["Low", "Medium", "High", "Very high"]
    assert RiskMatrix.for_organisation(org_a).pk == matrix.pk


@pytest.mark.parametrize("field", ["current_likelihood", "current_impact", "inherent_impact", "target_likelihood"])
def test_scores_outside_the_matrix_are_refused(make_risk, field):
    risk = make_risk(2, 2, target_likelihood=1, target_impact=1)
    setattr(risk, field, 6)
    with pytest.raises(ValidationError) as error:
        risk.full_clean()
    assert field in error.value.message_dict


def test_a_smaller_matrix_narrows_the_scale(make_risk, matrix_a):
    matrix_a.likelihood_levels = 4
    matrix_a.save()
    risk = make_risk(4, 2)
    risk.full_clean()
    risk.current_likelihood = 5
    with pytest.raises(ValidationError):
        risk.full_clean()


def test_a_register_whose_parent_would_make_a_cycle_is_refused(corporate, directorate_register, project):
    directorate_register.parent = project
    with pytest.raises(ValidationError) as error:
        directorate_register.full_clean()
    assert "parent" in error.value.message_dict
    directorate_register.refresh_from_db()
    assert directorate_register.parent == corporate


def test_a_project_register_under_the_corporate_register_is_refused(org_a, corporate):
    register = Register(organisation=org_a, name="P", slug="p", level=Register.Level.PROJECT, parent=corporate)
    with pytest.raises(ValidationError) as error:
        register.full_clean()
    assert "must be a directorate register" in str(error.value)


def test_a_corporate_register_has_no_parent(org_a, corporate):
    register = Register(organisation=org_a, name="C2", slug="c2", level=Register.Level.CORPORATE, parent=corporate)
    with pytest.raises(ValidationError):
        register.full_clean()


def test_a_parent_in_another_organisation_is_refused(org_b, corporate):
    register = Register(organisation=org_b, name="D", slug="d", level=Register.Level.DIRECTORATE, parent=corporate)
    with pytest.raises(ValidationError) as error:
        register.full_clean()
    assert "parent" in error.value.message_dict


def test_a_threshold_beyond_the_matrix_is_refused(org_a, corporate, directorate_a):
    register = Register(organisation=org_a, name="D", slug="d", level=Register.Level.DIRECTORATE, parent=corporate,
                        directorate=directorate_a, escalation_threshold=30)
    with pytest.raises(ValidationError) as error:
        register.full_clean()
    assert "escalation_threshold" in error.value.message_dict


def test_register_slugs_are_unique_per_organisation_only(org_a, corporate):
    RegisterFactory(organisation=OrganisationFactory(slug="other"), slug="corporate")
    with pytest.raises(ValidationError):
        Register(organisation=org_a, name="Again", slug="corporate", level=Register.Level.CORPORATE).full_clean()


def test_a_review_keeps_the_scores_and_sets_the_next_review_from_the_band(make_risk, project_owner):
    risk = make_risk(2, 2)
    today = timezone.localdate()
    review = risk.record_review(by=project_owner, reviewed_on=today, current_likelihood=4, current_impact=5)
    risk.refresh_from_db()
    assert (review.current_score, risk.current_score) == (20, 20)
    assert risk.review_date == today + timedelta(days=30)  # very high: monthly
    risk.record_review(by=project_owner, reviewed_on=today, current_likelihood=1, current_impact=2)
    risk.refresh_from_db()
    assert risk.review_date == today + timedelta(days=365)  # low: yearly
    assert [r.current_score for r in risk.reviews.all()] == [20, 2]
    assert risk.trend == "down"


def test_a_review_dated_in_the_future_is_refused_and_nothing_changes(make_risk, project_owner):
    risk = make_risk(2, 2)
    with pytest.raises(ValidationError) as error:
        risk.record_review(by=project_owner, reviewed_on=timezone.localdate() + timedelta(days=1),
                           current_likelihood=5, current_impact=5)
    assert "reviewed_on" in error.value.message_dict
    risk.refresh_from_db()
    assert risk.current_score == 4 and not RiskReview.objects.exists()


def test_a_review_with_scores_outside_the_matrix_is_refused(make_risk, project_owner):
    risk = make_risk(2, 2)
    with pytest.raises(ValidationError):
        risk.record_review(by=project_owner, reviewed_on=timezone.localdate(), current_likelihood=9,
                           current_impact=1)
    risk.refresh_from_db()
    assert risk.current_score == 4 and not RiskReview.objects.exists()


def test_demo_risks_next_review_is_the_one_their_latest_review_set(db):
    from govtrack.demo import load_kernel
    from registers import demo
    from registers.models import Risk

    load_kernel()
    from systems_catalogue import demo as catalogue_demo

    catalogue_demo.load()
    demo.load()
    risks = Risk.objects.prefetch_related("reviews")
    assert risks.exists()
    for risk in risks:
        reviews = sorted(risk.reviews.all(), key=lambda r: (r.reviewed_on, r.pk))
        if reviews:
            assert risk.review_date == reviews[-1].next_review_on, risk.reference


def test_an_organisation_has_one_corporate_register_on_the_page_and_in_the_api(corporate, manager_a, login, org_a):
    from rest_framework.test import APIClient

    second = Register(organisation=org_a, name="Another top", slug="top2", level=Register.Level.CORPORATE)
    with pytest.raises(ValidationError) as caught:
        second.full_clean()
    assert "already has a corporate register" in str(caught.value)
    client = APIClient()
    client.force_authenticate(manager_a)
    answer = client.post("/api/v1/registers/", {"organisation": org_a.slug, "name": "Another top", "slug": "top2",
                                                "level": "corporate"}, format="json")
    assert answer.status_code == 400 and "level" in answer.json()
    corporate.archive(by=manager_a)
    second.full_clean()  # once the old one is archived, a new top can be made
