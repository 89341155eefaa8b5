import pytest

from tests.factories import DirectorateFactory
from tests.systems_catalogue.factories import CompleteSystemFactory, SupplierFactory, SystemFactory


@pytest.fixture
def directorate_a(org_a):
    return DirectorateFactory(organisation=org_a, name="Social Care and Health", slug="social-care-and-health")


@pytest.fixture
def supplier_a(org_a):
    return SupplierFactory(organisation=org_a, name="CMC2")


@pytest.fixture
def system_a(org_a, officer_a, directorate_a, supplier_a):
    """A system of organisation A owned by officer A."""
    return SystemFactory(
        organisation=org_a, name="Flo", owner=officer_a, directorate=directorate_a, supplier=supplier_a, product="Flo"
    )


@pytest.fixture
def system_b(org_b):
    return CompleteSystemFactory(organisation=org_b, name="Newport payroll")
