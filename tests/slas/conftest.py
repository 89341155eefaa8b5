"""An SRS-like partnership: provider P serves partner A (and partner B), with an SLA of two lines."""

from datetime import date

import pytest

from govtrack.models import Membership, Organisation, Partnership, PartnershipMembership
from slas.models import Agreement, ServiceLine
from tests.factories import OrganisationFactory, member


@pytest.fixture
def provider(db):
    return OrganisationFactory(name="Shared Resource Service", slug="srs", short_name="SRS",
                               kind=Organisation.Kind.PROVIDER)


@pytest.fixture
def partnership(provider, org_a, org_b):
    partnership = Partnership.objects.create(name="SRS partnership", slug="srs-partnership", provider=provider)
    for org in (org_a, org_b):
        PartnershipMembership.objects.create(partnership=partnership, organisation=org, joined_on=date(2015, 4, 1))
    return partnership


@pytest.fixture
def provider_officer(provider):
    return member(provider, Membership.Role.OFFICER, "srs-officer")


@pytest.fixture
def provider_manager(provider):
    return member(provider, Membership.Role.MANAGER, "srs-manager")


@pytest.fixture
def second_manager_a(org_a):
    return member(org_a, Membership.Role.MANAGER, "manager-a2")


@pytest.fixture
def agreement(partnership, provider, org_a, manager_a, officer_a):
    """A's draft SLA with the provider, written by manager A, owned by officer A."""
    return Agreement.objects.create(
        title="Monmouthshire IT service SLA", reference="SRS-MCC-SLA", provider=provider, client=org_a,
        effective_from=date(2023, 4, 1), effective_to=date(2026, 3, 31), review_on=date(2025, 3, 31),
        annual_charge=1200000, users=4000, devices=5000, owner=officer_a, created_by=manager_a,
        memorandum="SRS partnership agreement 2011",
    )


@pytest.fixture
def availability(agreement):
    return ServiceLine.objects.create(agreement=agreement, service="Network", metric="Availability", unit="%",
                                      target="99.5", direction=ServiceLine.Direction.HIGHER, charge=400000)


@pytest.fixture
def fix_time(agreement):
    return ServiceLine.objects.create(agreement=agreement, service="Service desk", metric="Hours to fix a P1",
                                      unit="hours", target="4", direction=ServiceLine.Direction.LOWER,
                                      charge=200000, position=1)


@pytest.fixture
def agreement_b(partnership, provider, org_b, manager_b):
    agreement = Agreement.objects.create(title="Newport IT service SLA", reference="SRS-NCC-SLA", provider=provider,
                                         client=org_b, effective_from=date(2023, 4, 1), created_by=manager_b)
    ServiceLine.objects.create(agreement=agreement, service="Network", metric="Availability", target="99",
                               direction=ServiceLine.Direction.HIGHER)
    return agreement
