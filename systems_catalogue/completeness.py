"""How complete a system's record is: the one rule, computed in the database.

An organisation says which fields a complete record must have (``CatalogueSettings``; a
sensible default otherwise). ``annotate()`` adds to each system, in the same query, a flag
per required field that is missing, the number required, the number missing and the score,
so the list can filter and sort by completeness and the estate view can aggregate it.
The list, the system page, the per-directorate estate view, the "what is missing" list and
the API all read these annotations through ``of()``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from systems_catalogue.models import (
    DEFAULT_REQUIRED_FIELDS,
    REQUIRED_FIELD_LABELS,
    CatalogueSettings,
    Completeness,
    Contract,
    OwnerComment,
    System,
)

MISSING = "cmp_missing_"


def filled_conditions() -> dict[str, Q]:
    """For each field an organisation may require, the condition that it is filled in."""
    contracts = Contract.objects.filter(system=OuterRef("pk"), archived_at__isnull=True)
    return {
        "purpose": ~Q(purpose=""),
        "directorate": Q(directorate__isnull=False),
        "service_area": ~Q(service_area=""),
        "owner": Q(owner__isnull=False),
        "supplier": Q(supplier__isnull=False),
        "product": ~Q(product=""),
        "hosting": ~Q(hosting=""),
        "criticality": ~Q(criticality=""),
        "personal_data": ~Q(personal_data=""),
        "capabilities": Q(Exists(System.capabilities.through.objects.filter(system_id=OuterRef("pk")))),
        "end_of_support_on": Q(end_of_support_on__isnull=False),
        "last_reviewed_on": Q(last_reviewed_on__isnull=False),
        "contract": Q(Exists(contracts)),
        "contract_end": Q(Exists(contracts.filter(end_on__isnull=False))),
        "annual_cost": Q(
            Exists(
                contracts.filter(
                    Q(annual_licence_cost__isnull=False)
                    | Q(annual_support_cost__isnull=False)
                    | Q(annual_hosting_cost__isnull=False)
                )
            )
        ),
        "owner_comment": Q(Exists(OwnerComment.objects.filter(system=OuterRef("pk")))),
    }


@dataclass(frozen=True)
class Requirements:
    """Each organisation's required fields (those without settings use the default)."""

    by_organisation: dict[int, list[str]]

    @classmethod
    def load(cls) -> Requirements:
        rows = CatalogueSettings.objects.values_list("organisation_id", "required_fields")
        return cls({org_id: [f for f in fields if f in REQUIRED_FIELD_LABELS] for org_id, fields in rows})

    def for_organisation(self, organisation_id: int) -> list[str]:
        return self.by_organisation.get(organisation_id, DEFAULT_REQUIRED_FIELDS)

    def required_where(self, field: str) -> Q:
        """The systems whose organisation requires ``field``."""
        choosing = {org for org, fields in self.by_organisation.items() if field in fields}
        if field in DEFAULT_REQUIRED_FIELDS:
            not_choosing = set(self.by_organisation) - choosing
            return ~Q(organisation_id__in=not_choosing) if not_choosing else Q()
        return Q(organisation_id__in=choosing) if choosing else Q(pk__in=[])

    def fields_in_use(self) -> list[str]:
        used = set(DEFAULT_REQUIRED_FIELDS)
        for fields in self.by_organisation.values():
            used.update(fields)
        return [f for f in REQUIRED_FIELD_LABELS if f in used]


def annotate(queryset: models.QuerySet) -> models.QuerySet:
    """Add ``cmp_missing_<field>``, ``cmp_required``, ``cmp_missing`` and ``completeness_score``."""
    requirements = Requirements.load()
    conditions = filled_conditions()
    fields = requirements.fields_in_use()
    flags = {
        f"{MISSING}{field}": Case(
            When(requirements.required_where(field) & ~conditions[field], then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for field in fields
    }
    required_counts = defaultdict(list)
    for org_id, org_fields in requirements.by_organisation.items():
        required_counts[len(org_fields)].append(org_id)
    required = Case(
        *[When(organisation_id__in=orgs, then=Value(n)) for n, orgs in required_counts.items()],
        default=Value(len(DEFAULT_REQUIRED_FIELDS)),
        output_field=IntegerField(),
    )
    queryset = queryset.annotate(**flags, cmp_required=required)
    missing = sum((models.F(name) for name in flags), Value(0))
    queryset = queryset.annotate(cmp_missing=models.ExpressionWrapper(missing, output_field=IntegerField()))
    return queryset.annotate(
        completeness_score=Case(
            When(cmp_required=0, then=Value(100)),
            default=(models.F("cmp_required") - models.F("cmp_missing")) * 100 / models.F("cmp_required"),
            output_field=IntegerField(),
        )
    )


def of(system: System) -> Completeness:
    """The completeness of one system, from its annotations (fetched when absent)."""
    if not hasattr(system, "cmp_required"):
        system_with = annotate(System.objects.filter(pk=system.pk)).get()
        for name, value in vars(system_with).items():
            if name.startswith("cmp_") or name == "completeness_score":
                setattr(system, name, value)
    missing = [name[len(MISSING) :] for name, value in vars(system).items() if name.startswith(MISSING) and value]
    order = list(REQUIRED_FIELD_LABELS)
    return Completeness(required_count=system.cmp_required, missing=sorted(missing, key=order.index))


def estate_by_directorate(queryset: models.QuerySet) -> list[dict]:
    """Per organisation and directorate: systems, complete systems and average score (one query)."""
    rows = (
        annotate(queryset)
        .order_by()
        .values("organisation__name", "directorate_id", "directorate__name")
        .annotate(
            systems=models.Count("pk"),
            complete=models.Sum(Case(When(cmp_missing=0, then=Value(1)), default=Value(0))),
            fields_required=models.Sum("cmp_required"),
            fields_missing=models.Sum("cmp_missing"),
        )
        .order_by("organisation__name", "directorate__name")
    )
    result = []
    for row in rows:
        required = row["fields_required"] or 0
        row["score"] = 100 if not required else (required - row["fields_missing"]) * 100 // required
        result.append(row)
    return result


def missing_by_field(queryset: models.QuerySet) -> list[dict]:
    """How many systems miss each required field, most often missing first (one query)."""
    annotated = annotate(queryset)
    fields = [name[len(MISSING) :] for name in annotated.query.annotations if name.startswith(MISSING)]
    if not fields:
        return []
    totals = annotated.aggregate(**{field: models.Sum(f"{MISSING}{field}") for field in fields})
    rows = [
        {"field": field, "label": REQUIRED_FIELD_LABELS[field], "systems": totals[field] or 0}
        for field in fields
        if totals[field]
    ]
    return sorted(rows, key=lambda r: -r["systems"])


def estate_total(rows: list[dict]) -> dict:
    """The whole estate's completeness from the per-directorate rows."""
    required = sum(r["fields_required"] or 0 for r in rows)
    missing = sum(r["fields_missing"] or 0 for r in rows)
    return {
        "systems": sum(r["systems"] for r in rows),
        "complete": sum(r["complete"] or 0 for r in rows),
        "score": 100 if not required else (required - missing) * 100 // required,
    }
