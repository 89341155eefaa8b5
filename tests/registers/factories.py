"""factory_boy factories for the risk registers."""

import factory

from registers.models import Register, Risk, RiskAction
from tests.factories import OrganisationFactory


class RegisterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Register

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Register {n}")
    slug = factory.Sequence(lambda n: f"register-{n}")
    level = Register.Level.CORPORATE


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    register = factory.SubFactory(RegisterFactory)
    organisation = factory.LazyAttribute(lambda o: o.register.organisation)
    reference = factory.Sequence(lambda n: f"R-{n:03d}")
    title = factory.Sequence(lambda n: f"Risk {n}")
    inherent_likelihood = 4
    inherent_impact = 4
    current_likelihood = 2
    current_impact = 3


class RiskActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAction

    risk = factory.SubFactory(RiskFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
