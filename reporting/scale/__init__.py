"""Deterministic synthetic data at the sizes govtrack must stay fast for.

``generate(scale=..., seed=...)`` fills an empty database with a council, a large shared
service or a national deployment, through the models' own rules: scores valid on each
organisation's matrix, owners who are members of the record's organisation, escalations only
where a register's threshold is reached. Each app's part is one module in ``MODULES``, run in
order; a later app (SLAs, proposals, boards, packs) adds its module to the list and reads what
the earlier ones left in ``Run.organisations``.

Everything is inserted with ``bulk_create`` in batches. Governed records get one "created"
audit-trail row each through django-simple-history's ``bulk_create_with_history`` (as if each
had been entered once), holding the links made with them, so pages that show the audit trail read
tables of a realistic size.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

#: The modules that generate each app's records, in dependency order. Add a later app here.
MODULES: list[str] = [
    "reporting.scale.kernel",
    "reporting.scale.catalogue",
    "reporting.scale.registers",
    "reporting.scale.slas",
    "reporting.scale.proposals",
    "reporting.scale.boards",
]

#: Generated organisations' slugs start with this, so the bench and the refusal can find them.
SLUG_PREFIX = "gen-"
#: The shared-service providers made for partnerships that have none (the SLAs' other party) start with
#: this: they are generated, but not one of the scale's organisations (they have no people or records).
PROVIDER_SLUG_PREFIX = f"{SLUG_PREFIX}provider-"
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Scale:
    """How much of everything to generate; the first organisation may hold more than its share."""

    name: str
    organisations: int
    systems: int
    registers: int
    risks: int
    actions: int
    #: Fewest and most reviews in a risk's history.
    reviews_per_risk: tuple[int, int]
    #: Share of the records held by the first organisation; None shares them evenly.
    lead_share: float | None = None
    # Per organisation, the same at every scale (a body has one SLA and one digital board whatever
    # the deployment's size): the SLA's service lines and months of figures, audit sources with their
    # proposals and actions, and the digital board's members, meetings and decisions.
    lines_per_agreement: int = 10
    months_of_figures: int = 24
    sources_per_organisation: int = 3
    proposals_per_source: int = 20
    actions_per_proposal: int = 3
    members_per_board: int = 10
    meetings_per_board: int = 12
    decisions_per_board: int = 30

    def split(self, total: int) -> list[int]:
        """``total`` records shared out over the organisations (the lead first), summing exactly."""
        n = self.organisations
        if n == 1:
            return [total]
        if self.lead_share is None:
            shares = [total // n] * n
            for index in range(total - sum(shares)):
                shares[index] += 1
            return shares
        lead = round(total * self.lead_share)
        rest = Scale(self.name, n - 1, 0, 0, 0, 0, (0, 0)).split(total - lead)
        return [lead, *rest]


SCALES: dict[str, Scale] = {
    "council": Scale(
        "council", organisations=1, systems=100, registers=10, risks=500, actions=200,
        reviews_per_risk=(1, 4),
    ),
    "large": Scale(
        "large", organisations=5, systems=2_500, registers=120, risks=10_000, actions=5_000,
        reviews_per_risk=(1, 5), lead_share=0.5,
    ),
    "national": Scale(
        "national", organisations=40, systems=20_000, registers=1_000, risks=200_000, actions=40_000,
        reviews_per_risk=(1, 5),
    ),
}


@dataclass
class GeneratedOrganisation:
    """One generated organisation and what each step made for it, for the steps after."""

    index: int
    organisation: Any
    #: Role → user ids of its members in that role.
    people: dict[str, list[int]] = field(default_factory=dict)
    directorates: list[Any] = field(default_factory=list)
    #: Anything a step wants the later ones to see (system ids, register ids...).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pk(self) -> int:
        return self.organisation.pk

    def members(self, *roles: str) -> list[int]:
        """Ids of the members in any of these roles (all members when none is named)."""
        chosen = roles or tuple(self.people)
        return [pk for role in chosen for pk in self.people.get(role, [])]


@dataclass
class Run:
    """The state of one generation: the scale, the seed, today, and what was made so far."""

    scale: Scale
    seed: int
    today: date
    log: Callable[[str], None]
    organisations: list[GeneratedOrganisation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def random(self, name: str) -> random.Random:
        """A generator of its own per step and name, so adding a step never changes another's values."""
        return random.Random(f"{self.seed}:{name}")

    def count(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Print what a step made and how long it took."""
        before = dict(self.counts)
        started = time.perf_counter()
        self.log(f"{label}…")
        yield
        made = {k: v - before.get(k, 0) for k, v in self.counts.items() if v != before.get(k, 0)}
        summary = ", ".join(f"{v:,} {k}" for k, v in made.items()) or "nothing"
        self.log(f"  {summary} in {time.perf_counter() - started:.1f} s")


class AlreadyGenerated(Exception):
    """The database already holds generated data; the generator never adds to it or changes it."""


def insert(model: type[models.Model], objects: Sequence[models.Model], *, history: bool = True) -> list:
    """Insert in batches; governed models get one "created" history row per record."""
    objects = list(objects)
    if not objects:
        return objects
    if history and hasattr(model, "history"):
        from simple_history.utils import bulk_create_with_history

        return bulk_create_with_history(
            objects, model, batch_size=BATCH_SIZE, default_change_reason="Generated"
        )
    created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if model._meta.auto_created:  # links: the records' "created" rows hold them, as the trail reads them
        from govtrack.history import record_links_made_in_bulk

        record_links_made_in_bulk(model, created, batch_size=BATCH_SIZE // 4)
    return created


def generated_organisations() -> models.QuerySet:
    """The scale's generated organisations (not the providers made for their partnerships)."""
    from govtrack.models import Organisation

    return Organisation.objects.filter(slug__startswith=SLUG_PREFIX).exclude(slug__startswith=PROVIDER_SLUG_PREFIX)


def existing_data() -> str | None:
    """What generated data is already here, in words, or None."""
    generated = generated_organisations()
    n = generated.count()
    if not n:
        return None
    from registers.models import Risk
    from systems_catalogue.models import System

    systems = System.objects.filter(organisation__in=generated).count()
    risks = Risk.objects.filter(organisation__in=generated).count()
    return f"{n:,} generated organisations ({SLUG_PREFIX}…) with {systems:,} systems and {risks:,} risks"


def generate(*, scale: Scale, seed: int = 1, today: date | None = None,
             log: Callable[[str], None] = print) -> Run:
    """Generate every module's records for ``scale`` in one transaction; refuses when some are there."""
    found = existing_data()
    if found:
        raise AlreadyGenerated(
            f"This database already holds {found}. The generator never adds to or changes existing data: "
            "generate into an empty database (or drop this one first)."
        )
    run = Run(scale=scale, seed=seed, today=today or timezone.localdate(), log=log)
    started = time.perf_counter()
    with transaction.atomic():
        for name in MODULES:
            importlib.import_module(name).generate(run)
    # The planner's statistics, as a running service has them from autovacuum: without them
    # PostgreSQL plans the bench's first queries for empty tables (nested loops over 200,000 risks).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"Generated the {scale.name} scale (seed {seed}) in {time.perf_counter() - started:.1f} s.")
    return run
