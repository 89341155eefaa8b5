"""Bench pages of the risk registers, each with the SQL floor for the data it shows.

Each floor fetches the rows and columns the page shows with plain ``values_list`` queries,
scoped by organisation as the persona's session is: nothing more, no authentication.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from govtrack.models import Directorate
from registers.models import Escalation, MatrixBand, Register, Risk, RiskAction, RiskCategory, RiskReview
from reporting.bench.core import LARGE_SQLITE, Page, Subjects, Target, url
from systems_catalogue.models import System

#: The order the risk pages and exports use (``Risk.Meta.ordering`` through its register's).
RISK_ORDER = ("register__organisation__name", "register__level", "register__name", "reference")
RISK_COLUMNS = (
    "id", "organisation__slug", "register_id", "reference", "title", "cause", "event", "effect", "category_id",
    "officer_owner_id", "owner_name", "member_owner", "inherent_likelihood", "inherent_impact",
    "current_likelihood", "current_impact", "target_likelihood", "target_impact", "existing_controls", "progress",
    "review_date", "status", "register__parent_id", "register__escalation_threshold",
)
ESCALATION_COLUMNS = (
    "id", "risk_id", "from_register__slug", "to_register__slug", "status", "kind", "score", "reason",
    "proposed_at", "decided_at", "decision_reason", "de_escalated_at", "de_escalation_reason",
    "from_register_id", "to_register_id", "to_register__parent_id", "to_register__escalation_threshold",
)


def corporate_register(subjects: Subjects) -> Register:
    """The organisation's corporate register: the top of its hierarchy, at every scale.

    It holds a tenth of a generated organisation's risks (about 500 nationally) and the risks
    escalated to it, so it is the register page boards read most.
    """
    return subjects.get("register", lambda: (
        Register.objects.filter(organisation=subjects.organisation, level=Register.Level.CORPORATE)
        .order_by("pk").select_related("organisation").first()
    ))


def sample_risk(subjects: Subjects) -> Risk:
    """A risk of the corporate register with escalations and reviews, so its page shows everything."""
    def find() -> Risk:
        risks = Risk.objects.filter(register=corporate_register(subjects)).order_by("pk")
        return risks.filter(escalations__isnull=False).first() or risks.first()
    return subjects.get("risk", find)


def _org_ids(subjects: Subjects) -> list[int]:
    return [subjects.organisation.pk]


def _api_rows(response) -> int:
    return len(response.json()["results"])


def _risk_details(risk_ids: list[int], org_ids: list[int]) -> None:
    """What the risk serializer adds to each risk: escalations, score history, systems and bands."""
    list(Escalation.objects.filter(risk_id__in=risk_ids).values_list(*ESCALATION_COLUMNS))
    list(RiskReview.objects.filter(risk_id__in=risk_ids).order_by("risk_id", "reviewed_on", "pk")
         .values_list("risk_id", "reviewed_on", "current_likelihood", "current_impact"))
    list(Risk.systems.through.objects.filter(risk_id__in=risk_ids).values_list("risk_id", "system_id"))
    list(MatrixBand.objects.filter(matrix__organisation_id__in=org_ids)
         .values_list("matrix__organisation_id", "name", "min_score"))


def api_risks_floor(subjects: Subjects, response) -> Callable[[], Any]:
    n, org_ids = _api_rows(response), _org_ids(subjects)

    def floor() -> None:
        risks = Risk.objects.filter(organisation_id__in=org_ids)
        risks.count()
        rows = list(risks.order_by(*RISK_ORDER).values_list(*RISK_COLUMNS)[:n])
        _risk_details([row[0] for row in rows], org_ids)
    return floor


def api_risk_floor(subjects: Subjects, response) -> Callable[[], Any]:
    pk, org_ids = sample_risk(subjects).pk, _org_ids(subjects)

    def floor() -> None:
        list(Risk.objects.filter(pk=pk, organisation_id__in=org_ids).values_list(*RISK_COLUMNS))
        _risk_details([pk], org_ids)
    return floor


def export_floor(subjects: Subjects, response) -> Callable[[], Any]:
    org = subjects.organisation.pk

    def floor() -> None:
        list(Risk.objects.filter(organisation_id=org).order_by(*RISK_ORDER).values_list(
            "id", "reference", "title", "cause", "event", "effect", "register__slug", "category__name",
            "officer_owner__username", "owner_name", "member_owner", "inherent_likelihood", "inherent_impact",
            "current_likelihood", "current_impact", "target_likelihood", "target_impact", "existing_controls",
            "progress", "review_date", "status"))
        list(RiskAction.objects.filter(risk__organisation_id=org).order_by("risk_id", "due_on", "pk")
             .values_list("risk_id", "description"))
    return floor


def register_floor(subjects: Subjects, response) -> Callable[[], Any]:
    register = corporate_register(subjects)
    pk, org = register.pk, register.organisation_id
    history = Register.history.model

    def floor() -> None:
        list(Register.objects.filter(pk=pk).values_list(
            "name", "level", "status", "description", "escalation_threshold", "organisation__name",
            "owner__first_name", "owner__last_name", "parent__name", "parent__slug", "directorate__name"))
        own = Risk.objects.filter(register_id=pk).order_by().values("pk")
        accepted_in = Escalation.objects.filter(to_register_id=pk, status=Escalation.Status.ACCEPTED).order_by()
        on_register = Risk.objects.filter(archived_at__isnull=True,
                                          pk__in=own.union(accepted_in.values("risk_id"), all=True))
        rows = list(on_register.order_by("reference").values_list(
            "id", "reference", "title", "status", "category__name", "category__appetite",
            "officer_owner__first_name", "officer_owner__last_name", "owner_name", "inherent_likelihood",
            "inherent_impact", "current_likelihood", "current_impact", "review_date", "register_id",
            "register__name", "register__parent_id", "register__escalation_threshold"))
        ids = [row[0] for row in rows]
        list(Escalation.objects.filter(risk_id__in=ids).values_list(
            "risk_id", "from_register_id", "to_register_id", "to_register__name", "status", "score"))
        list(RiskReview.objects.filter(risk_id__in=ids).order_by("risk_id", "reviewed_on")
             .values_list("risk_id", "reviewed_on", "current_likelihood", "current_impact"))
        list(on_register.filter(status=Risk.Status.OPEN).values("current_likelihood", "current_impact")
             .annotate(n=Count("pk")).order_by())
        list(Escalation.objects.filter(to_register_id=pk, status=Escalation.Status.PROPOSED)
             .values_list("id", "risk_id", "risk__reference", "risk__title", "from_register__name"))
        list(Register.objects.filter(parent_id=pk, archived_at__isnull=True).values_list("name", "slug"))
        list(MatrixBand.objects.filter(matrix__organisation_id=org).values_list("name", "min_score", "colour"))
        list(RiskCategory.objects.filter(matrix__organisation_id=org).values_list("name", "appetite"))
        list(history.objects.filter(id=pk).order_by("-history_date")[:101].values_list(
            "history_id", "history_date", "history_type", "history_user_id", "name", "status", "owner_id"))
    return floor


def gaps_floor(subjects: Subjects, response) -> Callable[[], Any]:
    org = subjects.organisation.pk

    def floor() -> None:
        today = timezone.localdate()
        active = Register.objects.filter(level=Register.Level.DIRECTORATE, status=Register.Status.ACTIVE,
                                         archived_at__isnull=True, directorate=OuterRef("pk"))
        list(Directorate.objects.filter(organisation_id=org, archived_at__isnull=True).exclude(Exists(active))
             .values_list("name", "slug"))
        risks = Risk.objects.filter(organisation_id=org, status=Risk.Status.OPEN, archived_at__isnull=True)
        columns = ("id", "reference", "title", "register__name", "register__slug", "officer_owner__first_name",
                   "officer_owner__last_name", "current_likelihood", "current_impact", "review_date")
        list(risks.filter(review_date__lt=today).order_by("review_date").values_list(*columns))
        linked = Risk.systems.through.objects.filter(system_id=OuterRef("pk"), risk__status=Risk.Status.OPEN,
                                                     risk__archived_at__isnull=True)
        list(System.objects.filter(organisation_id=org, archived_at__isnull=True,
                                   criticality=System.Criticality.CRITICAL)
             .exclude(lifecycle=System.Lifecycle.RETIRED).exclude(Exists(linked)).order_by("name")
             .values_list("id", "name"))
        open_action = RiskAction.objects.filter(risk=OuterRef("pk"), status__in=[RiskAction.Status.OPEN,
                                                                                 RiskAction.Status.IN_PROGRESS])
        list(risks.annotate(score=F("current_likelihood") * F("current_impact"))
             .filter(category__isnull=False, score__gt=F("category__appetite")).exclude(Exists(open_action))
             .order_by("-score").values_list(*columns, "category__name", "category__appetite"))
        list(MatrixBand.objects.filter(matrix__organisation_id=org).values_list("name", "min_score", "colour"))
    return floor


def inbox_floor(subjects: Subjects, response) -> Callable[[], Any]:
    org_ids, user = _org_ids(subjects), subjects.personas["manager"].pk

    def floor() -> None:
        visible = Escalation.objects.filter(risk__organisation_id__in=org_ids)
        list(visible.filter(status=Escalation.Status.PROPOSED).order_by("proposed_at").values_list(
            "id", "risk_id", "risk__reference", "risk__title", "risk__current_likelihood", "risk__current_impact",
            "from_register__name", "to_register__name", "to_register__owner_id", "to_register__organisation__name",
            "proposed_at", "proposed_by__first_name", "proposed_by__last_name", "reason"))
        list(visible.exclude(status=Escalation.Status.PROPOSED)
             .filter(Q(to_register__owner_id=user) | Q(decided_by_id=user)).order_by("-decided_at")[:20]
             .values_list("id", "risk__reference", "risk__title", "from_register__name", "to_register__name",
                          "status", "decided_at", "decided_by__first_name", "decided_by__last_name"))
    return floor


def _org(subjects: Subjects) -> str:
    return subjects.organisation.slug


PAGES = [
    Page("API risks list (100)", "officer", kind="api-list", floor=api_risks_floor,
         url=lambda s: url(["risk-list"], query="page_size=100"),
         targets=(Target("p50 ≤ 25 ms (peer)", lambda r: r.median <= 25, **LARGE_SQLITE),)),
    Page("API one risk", "officer", kind="detail", floor=api_risk_floor,
         url=lambda s: url(["risk-detail"], pk=sample_risk(s).pk),
         targets=(Target("p50 ≤ 5 ms (peer)", lambda r: r.median <= 5, **LARGE_SQLITE),)),
    Page("CSV export of the organisation's risks", "officer", kind="export", floor=export_floor,
         url=lambda s: url(["export"], organisation=_org(s), kind="risks", fmt="csv"),
         targets=(Target("p50 ≤ 800 ms (peer)", lambda r: r.median <= 800, **LARGE_SQLITE),)),
    Page("Register page (corporate register)", "manager", kind="register", floor=register_floor,
         url=lambda s: url(["registers:register_detail"], org=_org(s), slug=corporate_register(s).slug)),
    Page("Governance gaps", "manager", kind="list", floor=gaps_floor,
         url=lambda s: url(["reporting:governance_gaps", "registers:governance_gaps"], organisation=_org(s))),
    Page("Escalation inbox", "manager", kind="list", floor=inbox_floor,
         url=lambda s: url(["registers:escalation_inbox"], organisation=_org(s))),
]
