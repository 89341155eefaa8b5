"""Registers fixtures: organisation A's corporate → directorate → project hierarchy."""

import pytest

from govtrack.models import Membership
from registers.models import Register, RiskMatrix
from tests.factories import DirectorateFactory, member
from tests.registers.factories import RegisterFactory, RiskFactory


@pytest.fixture
def matrix_a(org_a):
    return RiskMatrix.for_organisation(org_a)


@pytest.fixture
def directorate_a(org_a):
    return DirectorateFactory(organisation=org_a, name="Social Care and Health", slug="social-care-and-health")


@pytest.fixture
def project_owner(org_a):
    """An officer of A who owns the project register."""
    return member(org_a, Membership.Role.OFFICER, "project-owner")


@pytest.fixture
def corporate(org_a, manager_a, matrix_a):
    return RegisterFactory(organisation=org_a, name="Corporate", slug="corporate", level=Register.Level.CORPORATE,
                           owner=manager_a)


@pytest.fixture
def directorate_register(org_a, corporate, officer_a, directorate_a):
    """Owned by officer A, so officer A decides escalations from the project register."""
    return RegisterFactory(organisation=org_a, name="Social Care and Health", slug="sch",
                           level=Register.Level.DIRECTORATE, parent=corporate, directorate=directorate_a,
                           owner=officer_a, escalation_threshold=15)


@pytest.fixture
def project(org_a, directorate_register, project_owner):
    return RegisterFactory(organisation=org_a, name="Flo project", slug="flo", level=Register.Level.PROJECT,
                           parent=directorate_register, owner=project_owner, escalation_threshold=12)


@pytest.fixture
def make_risk(project):
    def _make(likelihood=2, impact=3, register=None, **kwargs):
        return RiskFactory(register=register or project, current_likelihood=likelihood, current_impact=impact,
                           **kwargs)

    return _make
