"""Factories for sources, proposals and actions."""

from datetime import date

import factory

from proposals.models import Action, Proposal, Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = Source.Kind.AUDIT_REPORT
    issuer = "Wales Audit Office"
    title = factory.Sequence(lambda n: f"Information technology review {n}")
    issued_on = date(2016, 5, 1)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    source = factory.SubFactory(SourceFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    text = factory.Sequence(lambda n: f"The council should strengthen governance {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    proposal = factory.SubFactory(ProposalFactory)
    description = factory.Sequence(lambda n: f"Publish a revised plan {n}")
