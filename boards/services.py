"""Workflows across boards and the catalogue, set-based so a board page or a dashboard can call them.

- ``conflicts(boards=...)``: members whose declared interest is in a supplier or provider of the
  board's organisation's systems or contracts (proposal P2), matched on the catalogue's supplier
  records: by the supplier the interest names, or by the declared company's name against them.
- ``next_meetings(user=...)``: the next meeting of each board a person sits on.
- ``membership_reviews_due(boards=...)``: boards whose membership review is overdue, due soon or unset.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from boards.models import Board, BoardMember, DeclaredInterest, Meeting
from govtrack import deadlines
from govtrack.models import Partnership, PartnershipMembership
from systems_catalogue.models import Contract, Supplier, System

#: Words that do not tell one company from another ("CMC2 Ltd" is "CMC2 CIC").
_NOISE = {"ltd", "limited", "plc", "llp", "cic", "the", "co", "company", "community", "interest", "uk", "group"}


def normalised_name(name: str) -> str:
    """A company's name without case, punctuation and legal-form words, for matching against suppliers."""
    words = re.sub(r"[^0-9a-z]+", " ", (name or "").lower()).split()
    return " ".join(w for w in words if w not in _NOISE)


@dataclass
class Conflict:
    """A current member's current interest in a supplier of the board's organisation(s)."""

    member: BoardMember
    interest: DeclaredInterest
    supplier_id: int
    supplier_name: str
    systems: list[str] = field(default_factory=list)
    contracts: int = 0

    @property
    def board(self) -> Board:
        return self.member.board


def board_organisations(boards: list[Board], today: date | None = None) -> dict[int, set[int]]:
    """Board id → the organisations whose suppliers matter: its own, or its partnership's partners today."""
    today = today or deadlines.today()
    found = {b.pk: {b.organisation_id} for b in boards if b.organisation_id}
    joint = {b.pk: b.partnership_id for b in boards if not b.organisation_id and b.partnership_id}
    if joint:
        partners: dict[int, set[int]] = defaultdict(set)
        rows = PartnershipMembership.objects.current(today).filter(partnership_id__in=set(joint.values()))
        for partnership_id, organisation_id in rows.values_list("partnership_id", "organisation_id"):
            partners[partnership_id].add(organisation_id)
        for pk, provider in Partnership.objects.filter(pk__in=set(joint.values())).values_list("pk", "provider_id"):
            if provider:
                partners[pk].add(provider)
        for board_id, partnership_id in joint.items():
            found[board_id] = partners[partnership_id]
    return found


def _supplying(organisation_ids: set[int], today: date) -> QuerySet:
    """Suppliers of these organisations that support or developed a system in use, or hold a contract not yet
    ended, each with ``current_contracts``: how many of those contracts it holds."""
    in_use = System.objects.active().exclude(lifecycle=System.Lifecycle.RETIRED).filter(
        Q(supplier=OuterRef("pk")) | Q(developer=OuterRef("pk")))
    contracted = Contract.objects.active().current(today).filter(supplier=OuterRef("pk"))
    counted = contracted.order_by().values("supplier").annotate(n=Count("pk")).values("n")
    return (Supplier.objects.active().filter(organisation_id__in=organisation_ids)
            .filter(Exists(in_use) | Exists(contracted))
            .annotate(current_contracts=Coalesce(Subquery(counted), 0)))


def conflicts(*, boards: QuerySet, today: date | None = None) -> list[Conflict]:
    """Every conflict of interest on these boards, in three queries however many boards, members and suppliers
    (and one more for a partnership's board: its partners)."""
    today = today or deadlines.today()
    interests = list(
        DeclaredInterest.objects.current(today)
        .filter(member__in=BoardMember.objects.current(today).filter(board__in=boards))
        .select_related("member", "member__person", "member__represents", "member__board", "supplier")
        .order_by("member__board__name", "member_id", "pk")
    )
    if not interests:
        return []
    organisations = board_organisations(list({i.member.board.pk: i.member.board for i in interests}.values()), today)
    everyone = set().union(*organisations.values())
    suppliers = list(_supplying(everyone, today).values_list("pk", "organisation_id", "name", "current_contracts"))
    by_name: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    supplier_org, contracts = {}, {}
    for pk, organisation_id, name, held in suppliers:
        supplier_org[pk], contracts[pk] = (organisation_id, name), held
        if normalised_name(name):
            by_name[(organisation_id, normalised_name(name))].append((pk, name))
    found: list[Conflict] = []
    for interest in interests:
        board_orgs = organisations.get(interest.member.board_id, set())
        matched: dict[int, str] = {}
        if interest.supplier_id in supplier_org and supplier_org[interest.supplier_id][0] in board_orgs:
            matched[interest.supplier_id] = supplier_org[interest.supplier_id][1]
        company = normalised_name(interest.company)
        for organisation_id in board_orgs if company else ():
            matched.update(dict(by_name.get((organisation_id, company), [])))
        found += [Conflict(member=interest.member, interest=interest, supplier_id=pk, supplier_name=name)
                  for pk, name in matched.items()]
    _add_what_they_supply(found, contracts)
    return found


def _add_what_they_supply(found: list[Conflict], contracts: dict[int, int]) -> None:
    """The systems in use each supplier in conflict supports or developed, and its current contracts (counted
    with the suppliers)."""
    ids = {c.supplier_id for c in found}
    if not ids:
        return
    systems: dict[int, list[str]] = defaultdict(list)
    live = System.objects.active().exclude(lifecycle=System.Lifecycle.RETIRED).order_by("name")
    for supplier_id, developer_id, name in live.filter(Q(supplier_id__in=ids) | Q(developer_id__in=ids)).values_list(
            "supplier_id", "developer_id", "name"):
        for pk in {supplier_id, developer_id} & ids:
            systems[pk].append(name)
    for conflict in found:
        conflict.systems = systems[conflict.supplier_id]
        conflict.contracts = contracts.get(conflict.supplier_id, 0)


def conflicts_by_interest(found: list[Conflict]) -> dict[int, list[Conflict]]:
    """Conflicts grouped by the declared interest that raises them (for flagging a board page's rows)."""
    grouped: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in found:
        grouped[conflict.interest.pk].append(conflict)
    return dict(grouped)


def next_meetings(*, user, today: date | None = None) -> QuerySet:
    """The next meeting (not cancelled) of each board this person sits on and may see, soonest first."""
    today = today or deadlines.today()
    seats = BoardMember.objects.current(today).filter(person=user, board=OuterRef("pk"))
    boards = Board.objects.visible_to(user).active().filter(Exists(seats))
    soonest = Meeting.objects.upcoming(today).filter(board=OuterRef("pk")).values("pk")[:1]
    return (Meeting.objects.for_pages().filter(pk__in=boards.annotate(next_id=Subquery(soonest)).values("next_id"))
            .order_by("held_on", "starts_at", "pk"))


def membership_reviews_due(*, boards: QuerySet, within_days: int = 0, today: date | None = None) -> QuerySet:
    """Boards whose membership review is overdue, due within ``within_days``, or was never scheduled."""
    return (boards.active().membership_review_due(within_days=within_days, today=today).for_pages()
            .order_by(F("membership_review_due_on").asc(nulls_first=True), "name", "pk"))
