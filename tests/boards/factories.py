"""factory_boy factories for boards, their members, interests, meetings and decisions."""

from datetime import timedelta

import factory
from django.utils import timezone

from boards.models import AgendaItem, Board, BoardMember, Decision, DeclaredInterest, Meeting
from tests.factories import OrganisationFactory


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Member {n}")


class DeclaredInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclaredInterest

    member = factory.SubFactory(BoardMemberFactory)
    company = factory.Sequence(lambda n: f"Company {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    position = factory.Sequence(lambda n: n)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Decision {n}")
