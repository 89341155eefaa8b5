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
    default_not_required,
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
class Rule:
    """One organisation's completeness settings: the fields it requires, and where each does not apply."""

    fields: tuple[str, ...]
    not_required: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, fields, not_required) -> Rule:
        known = [f for f in fields if f in REQUIRED_FIELD_LABELS]
        return cls(tuple(known), {c: tuple(names) for c, names in (not_required or {}).items()})

    def applies(self, field: str) -> tuple[bool, tuple[tuple[str, str], ...]]:
        """Whether ``field`` is required, and the (attribute, value) conditions under which it is not."""
        exempt = tuple(sorted(
            tuple(condition.split(":", 1)) for condition, names in self.not_required.items() if field in names
        ))
        return field in self.fields, exempt


DEFAULT_RULE = Rule.of(DEFAULT_REQUIRED_FIELDS, default_not_required())


@dataclass(frozen=True)
class Requirements:
    """Each organisation's rule (those without settings use the default)."""

    by_organisation: dict[int, Rule]

    @classmethod
    def load(cls) -> Requirements:
        rows = CatalogueSettings.objects.values_list("organisation_id", "required_fields", "not_required")
        return cls({org_id: Rule.of(fields, exempt) for org_id, fields, exempt in rows})

    def for_organisation(self, organisation_id: int) -> Rule:
        return self.by_organisation.get(organisation_id, DEFAULT_RULE)

    def required_where(self, field: str) -> Q:
        """The systems that must have ``field``: their organisation requires it and no condition exempts them."""
        groups: dict[tuple, list[int]] = defaultdict(list)
        for org_id, rule in self.by_organisation.items():
            groups[rule.applies(field)].append(org_id)
        condition = Q(pk__in=[])
        default_required, default_exempt = DEFAULT_RULE.applies(field)
        if default_required:
            condition |= _exempting(default_exempt) & ~Q(organisation_id__in=list(self.by_organisation))
        for (required, exempt), orgs in groups.items():
            if required:
                condition |= Q(organisation_id__in=orgs) & _exempting(exempt)
        return condition

    def fields_in_use(self) -> list[str]:
        used = set(DEFAULT_RULE.fields)
        for rule in self.by_organisation.values():
            used.update(rule.fields)
        return [f for f in REQUIRED_FIELD_LABELS if f in used]


def _exempting(conditions: tuple[tuple[str, str], ...]) -> Q:
    """Systems matching none of the (attribute, value) conditions."""
    result = Q()
    for attr, value in conditions:
        result &= ~Q(**{attr: value})
    return result


def annotate(queryset: models.QuerySet, *, select_totals: bool = True) -> models.QuerySet:
    """Add ``cmp_missing_<field>``, ``cmp_required``, ``cmp_missing`` and ``completeness_score``.

    Without ``select_totals`` the last two are aliases: a list can still filter and sort on them,
    but the database does not compute them for every row. SQL repeats an expression wherever it is
    used, so selecting them runs each "has a contract" subquery three times a row (the flag, the
    sum, the score); rows read the score from ``System.completeness`` instead.
    """
    requirements = Requirements.load()
    conditions = filled_conditions()
    fields = requirements.fields_in_use()
    where = {field: requirements.required_where(field) for field in fields}
    flags = {
        f"{MISSING}{field}": Case(
            When(where[field] & ~conditions[field], then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        for field in fields
    }
    required = {
        f"cmp_req_{field}": Case(When(where[field], then=Value(1)), default=Value(0), output_field=IntegerField())
        for field in fields
    }
    queryset = queryset.annotate(**flags, **required)
    total = sum((models.F(name) for name in required), Value(0))
    missing = sum((models.F(name) for name in flags), Value(0))
    queryset = queryset.annotate(cmp_required=models.ExpressionWrapper(total, output_field=IntegerField()))
    add = queryset.annotate if select_totals else queryset.alias
    queryset = add(cmp_missing=models.ExpressionWrapper(missing, output_field=IntegerField()))
    add = queryset.annotate if select_totals else queryset.alias
    return add(
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
    """Per organisation and directorate: systems, complete systems and fields filled in (one query)."""
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
    return [_measures(row) for row in rows]


def _percent(part: int, whole: int) -> int:
    """A share rounded down, so 100% only when nothing is missing (and 100% of nothing)."""
    return 100 if not whole else part * 100 // whole


def _measures(row: dict) -> dict:
    """The two measures of completeness, each named: systems complete, and required fields filled in."""
    row["complete"] = row["complete"] or 0
    row["fields_required"] = row["fields_required"] or 0
    row["fields_filled"] = row["fields_required"] - (row["fields_missing"] or 0)
    row["systems_percent"] = _percent(row["complete"], row["systems"])
    row["fields_percent"] = _percent(row["fields_filled"], row["fields_required"])
    return row


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
    """The whole estate's completeness from the per-directorate rows, with the same two named measures."""
    return _measures({
        "systems": sum(r["systems"] for r in rows),
        "complete": sum(r["complete"] for r in rows),
        "fields_required": sum(r["fields_required"] for r in rows),
        "fields_missing": sum(r["fields_required"] - r["fields_filled"] for r in rows),
    })


def estate_summary(queryset: models.QuerySet) -> dict:
    """The estate's completeness for a page or a dashboard (``systems_catalogue/_completeness.html`` shows it)."""
    return estate_total(estate_by_directorate(queryset))
