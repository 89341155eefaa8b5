"""Boards of organisation A: the Digital Board with a supplier of A's systems (CMC2, which built Flo)."""

import pytest

from govtrack.models import Partnership, PartnershipMembership
from systems_catalogue.models import Supplier, System
from tests.boards.factories import BoardFactory


@pytest.fixture
def cmc2(org_a):
    supplier = Supplier.objects.create(organisation=org_a, name="CMC2 Ltd")
    System.objects.create(organisation=org_a, name="Flo", supplier=supplier)
    return supplier


@pytest.fixture
def digital_board(org_a, officer_a):
    return BoardFactory(organisation=org_a, name="Digital Board", slug="digital-board", secretary=officer_a)


@pytest.fixture
def partnership(org_a, org_b):
    """A and B as partners (from 2020), with no provider."""
    srs = Partnership.objects.create(name="Shared service", slug="shared")
    for org in (org_a, org_b):
        PartnershipMembership.objects.create(partnership=srs, organisation=org, joined_on="2020-04-01")
    return srs


@pytest.fixture
def joint_board(partnership):
    return BoardFactory(organisation=None, partnership=partnership, name="Strategic Board", slug="strategic")
