"""Factories for the systems catalogue."""

from datetime import date
from decimal import Decimal

import factory

from systems_catalogue.models import Capability, Contract, OwnerComment, Supplier, System
from tests.factories import DirectorateFactory, OrganisationFactory, UserFactory


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Supplier {n} Ltd")


class CapabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Capability
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Capability {n}")
    slug = factory.Sequence(lambda n: f"capability-{n}")


class SystemFactory(factory.django.DjangoModelFactory):
    """A bare system: only a name (so completeness tests start from nothing)."""

    class Meta:
        model = System

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"System {n}")


class CompleteSystemFactory(SystemFactory):
    """A system with every default required field filled in, and a contract with costs."""

    class Meta:
        skip_postgeneration_save = True

    purpose = "Case management for adult social care"
    directorate = factory.LazyAttribute(lambda o: DirectorateFactory(organisation=o.organisation))
    owner = factory.SubFactory(UserFactory)
    supplier = factory.LazyAttribute(lambda o: SupplierFactory(organisation=o.organisation))
    hosting = System.Hosting.CLOUD
    criticality = System.Criticality.HIGH
    personal_data = System.PersonalData.SPECIAL
    last_reviewed_on = date(2026, 1, 15)

    @factory.post_generation
    def complete(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.capabilities.add(CapabilityFactory(name="Case management", slug="case-management"))
        ContractFactory(system=obj, supplier=obj.supplier)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    system = factory.SubFactory(SystemFactory)
    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    start_on = date(2024, 4, 1)
    end_on = date(2029, 3, 31)
    notice_period_days = 90
    annual_licence_cost = Decimal("10000.00")
    annual_support_cost = Decimal("2500.00")
    total_value = Decimal("62500.00")


class OwnerCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnerComment

    system = factory.SubFactory(SystemFactory)
    author = factory.SubFactory(UserFactory)
    written_on = date(2026, 2, 1)
    text = "Stable; supplier responsive."
