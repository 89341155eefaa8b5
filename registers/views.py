"""Pages of the risk registers. Thin: parse, authorise through govtrack.access, call the rule, respond."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrack import access, charts, pages
from govtrack.audit import history_for
from govtrack.forms import SinceForm, add_errors
from govtrack.models import Organisation
from govtrack.people import members_of
from govtrack.viewmixins import ArchiveView
from registers import scoring, services
from registers.filters import RiskFilterSet
from registers.forms import ActionForm, MatrixForm, OptionalReasonForm, ReasonForm, RegisterForm, ReviewForm, RiskForm
from registers.models import Escalation, MatrixBand, MatrixVersion, Register, Risk, RiskAction, RiskMatrix
from registers.scoring import band_range


def _register(user, org: str, slug: str, *, write: bool = False) -> Register:
    registers = Register.objects.select_related("organisation", "owner", "parent", "parent__organisation",
                                                "directorate")
    return access.get_object_for(user, registers, write=write, organisation__slug=org, slug=slug)


def _risk(user, pk: int, *, write: bool = False) -> Risk:
    return access.get_object_for(user, Risk.objects.for_pages().prefetch_related("systems"), write=write, pk=pk)


def _tree(registers: list[Register]) -> list[tuple[Register, int]]:
    """Registers in hierarchy order (corporate, its directorates, their projects) with their depth."""
    children: dict[int | None, list[Register]] = {}
    ids = {r.pk for r in registers}
    for register in registers:
        parent = register.parent_id if register.parent_id in ids else None
        children.setdefault(parent, []).append(register)
    ordered: list[tuple[Register, int]] = []

    def walk(parent, depth):
        for register in children.get(parent, []):
            ordered.append((register, depth))
            walk(register.pk, depth + 1)

    walk(None, 0)
    return ordered


@login_required
def register_list(request):
    """Every register the person may see, as a tree per organisation."""
    registers = list(
        Register.objects.visible_to(request.user).active()
        .select_related("organisation", "owner", "directorate")
        .annotate(
            open_risks=Count("risks", filter=Q(risks__status=Risk.Status.OPEN, risks__archived_at__isnull=True),
                             distinct=True),
            waiting=Count("escalations_in", filter=Q(escalations_in__status=Escalation.Status.PROPOSED),
                          distinct=True),
        )
        .order_by("organisation__name", "name")
    )
    by_org: dict[Organisation, list[Register]] = {}
    for register in registers:
        by_org.setdefault(register.organisation, []).append(register)
    organisations = [
        (org, _tree(regs), access.can_create_in(request.user, org, Register)) for org, regs in by_org.items()
    ]
    manageable = [org for org in Organisation.objects.active().visible_to(request.user)
                  if access.can_create_in(request.user, org, Register)]
    return render(request, "registers/register_list.html", {
        "organisations": organisations, "manageable": manageable,
    })


@login_required
def register_create(request, org: str):
    organisation = pages.organisation_for(request, org)
    access.require(access.can_create_in(request.user, organisation, Register))
    form = RegisterForm(pages.posted(request), user=request.user, organisation=organisation)
    return pages.form_page(request, form, template="registers/register_form.html",
                           context={"organisation": organisation},
                           message=lambda r: _("Register %(name)s was created.") % {"name": r})


@login_required
def register_edit(request, org: str, slug: str):
    register = _register(request.user, org, slug, write=True)
    form = RegisterForm(pages.posted(request), instance=register, user=request.user,
                        organisation=register.organisation)
    return pages.form_page(request, form, template="registers/register_form.html",
                           context={"organisation": register.organisation, "register": register},
                           message=lambda r: _("Register %(name)s was saved.") % {"name": r})


#: Risks in one page of a register's table (a register of hundreds pages through them).
RISKS_PER_PAGE = 50
#: The inbox pages through a person's own decisions and shows a sample of everyone else's.
INBOX_PER_PAGE = 50
OTHERS_SHOWN = 20


def _since(request) -> tuple[SinceForm, date]:
    return SinceForm.for_request(request, default=timezone.localdate() - timedelta(days=90))


@login_required
def register_detail(request, org: str, slug: str):
    """The risk table with filters, the heat map and movement since a date, in a fixed number of queries."""
    register = _register(request.user, org, slug)
    matrix = RiskMatrix.for_organisation(register.organisation)
    today = timezone.localdate()
    base = Risk.objects.active().on_register(register)
    filterset = RiskFilterSet(request.GET or None, queryset=base, register=register)
    since_form, since = _since(request)
    # The table shows a page of risks; what is counted (heat map, movement, owners) is counted in SQL.
    listing = pages.paginate(request, filterset.qs.for_pages().order_by("reference", "pk"), per_page=RISKS_PER_PAGE)
    risks = list(listing["object_list"])
    for risk in risks:
        risk.band = matrix.band_for(risk.current_score)
        risk.inherent_band = matrix.band_for(risk.inherent_score)
        risk.then = risk.score_on(since)
        risk.escalated_in = risk.register_id != register.pk
        risk.escalated_out = next((e for e in risk.escalation_list if e.from_register_id == register.pk
                                   and e.status in Escalation.OPEN_STATUSES), None)
        risk.ready = risk.should_escalate() and risk.top_register.pk == register.pk
        risk.above_appetite = bool(risk.category_id and risk.current_score > risk.category.appetite)
    counts = services.heat_map_counts(base)
    movement = services.movement(
        filterset.qs, since=since,
        escalations=Escalation.objects.filter(Q(to_register=register) | Q(from_register=register)))
    owners = members_of(register.organisation).filter(pk__in=base.values("officer_owner_id"))
    waiting = list(register.escalations_in.filter(status=Escalation.Status.PROPOSED)
                   .select_related("risk", "from_register"))
    return render(request, "registers/register_detail.html", {
        "register": register, "matrix": matrix, "risks": risks, "filter": filterset, **listing,
        "heat_map": services.heat_map(matrix=matrix, counts=counts,
                                      title=_("Heat map of the open risks on %(register)s") % {"register": register}),
        "heat_table": services.heat_table(matrix=matrix, counts=counts),
        "since": since, "since_form": since_form, "movement": movement, "owners": owners, "today": today,
        "waiting": waiting, "children": register.children.active().select_related("organisation"),
        "can_change": access.can_change(request.user, register),
        "can_add_risk": access.can_create_in(request.user, register.organisation, Risk),
        "can_import": access.can_manage(request.user, register.organisation),
        "history": history_for(register, user=request.user,
                               url=reverse("registers:register_history",
                                           args=[register.organisation.slug, register.slug])),
    })


@login_required
def risk_create(request, org: str, slug: str):
    register = _register(request.user, org, slug)
    access.require(access.can_create_in(request.user, register.organisation, Risk))
    matrix = RiskMatrix.for_organisation(register.organisation)
    form = RiskForm(pages.posted(request), user=request.user, register=register, matrix=matrix)
    return pages.form_page(request, form, template="registers/risk_form.html", context={"register": register},
                           message=lambda r: _("Risk %(ref)s was added.") % {"ref": r.reference})


@login_required
def risk_edit(request, pk: int):
    risk = _risk(request.user, pk, write=True)
    matrix = RiskMatrix.for_organisation(risk.organisation)
    form = RiskForm(pages.posted(request), instance=risk, user=request.user, register=risk.register, matrix=matrix)
    return pages.form_page(request, form, template="registers/risk_form.html",
                           context={"register": risk.register, "risk": risk},
                           message=lambda r: _("Risk %(ref)s was saved.") % {"ref": r.reference})


@login_required
def risk_detail(request, pk: int):
    """A risk: scores and bands, score history, controls, actions, links, reviews, escalations, audit trail."""
    risk = _risk(request.user, pk)
    matrix = RiskMatrix.for_organisation(risk.organisation)
    reviews = risk.review_list
    history_points = [(r.reviewed_on, r.current_score) for r in reviews]
    chart = charts.line_chart(
        title=_("Current score of %(ref)s at each review") % {"ref": risk.reference},
        points=history_points, y_max=matrix.max_score, y_label=_("Score"),
        bands=[charts.Band(low=b.min_score, high=band_range(matrix, b)[1], fill=b.colour, label=b.name)
               for b in matrix.band_list],
    )
    can_change = access.can_change(request.user, risk)
    escalations = risk.escalation_list
    decidable = {e.pk for e in escalations if access.can_change(request.user, e)}
    return render(request, "registers/risk_detail.html", {
        "risk": risk, "matrix": matrix, "chart": chart, "reviews": list(reversed(reviews)),
        "bands": {"inherent": matrix.band_for(risk.inherent_score), "current": matrix.band_for(risk.current_score),
                  "target": matrix.band_for(risk.target_score)},
        "appetite": matrix.appetite_for(risk.category_id), "escalations": escalations, "decidable": decidable,
        "top_register": risk.top_register, "should_escalate": risk.should_escalate(),
        "can_escalate": can_change and risk.top_register.parent_id and risk.pending_escalation() is None,
        "can_change": can_change,
        "history": history_for(risk, user=request.user, url=reverse("registers:risk_history", args=[risk.pk])),
        "today": timezone.localdate(),
        "can_restore": access.can_restore(request.user, risk),
        "restore_url": reverse("registers:risk_restore", args=[risk.pk]),
        # SLAs are a later app's records, reached through their link to the risk, as far as the reader may see.
        "agreements": list(risk.agreements.visible_to(request.user).active().order_by("title", "pk")[:20]),
    })


@login_required
def risk_review(request, pk: int):
    """Record a review: the scores on that date become part of the risk's history."""
    risk = _risk(request.user, pk, write=True)
    matrix = RiskMatrix.for_organisation(risk.organisation)
    initial = {"current_likelihood": risk.current_likelihood, "current_impact": risk.current_impact,
               "target_likelihood": risk.target_likelihood, "target_impact": risk.target_impact}
    form = ReviewForm(pages.posted(request), initial=initial, user=request.user, matrix=matrix)
    return pages.form_page(
        request, form, template="registers/review_form.html", context={"risk": risk},
        save=lambda f: risk.record_review(by=request.user, matrix=matrix, **f.cleaned_data),
        message=lambda review: _("The review was recorded; next review by %(day)s.") % {"day": risk.review_date},
        success_url=risk.get_absolute_url(),
    )


@login_required
def risk_escalate(request, pk: int):
    """Escalate a risk by hand to the parent of the highest register it sits on."""
    risk = _risk(request.user, pk, write=True)
    target = risk.top_register.parent
    form = ReasonForm(pages.posted(request), user=request.user)
    return pages.form_page(
        request, form, template="registers/escalation_form.html",
        context={"risk": risk, "target": target, "decision": "escalate"},
        save=lambda f: services.propose_escalation(risk=risk, by=request.user, reason=f.cleaned_data["reason"]),
        message=lambda e: _("Risk %(ref)s was proposed to %(register)s.") % {"ref": risk.reference,
                                                                             "register": e.to_register},
        success_url=risk.get_absolute_url(),
    )


DECISIONS = {
    "accept": (services.accept_escalation, Escalation.Status.PROPOSED, False),
    "reject": (services.reject_escalation, Escalation.Status.PROPOSED, True),
    "de-escalate": (services.de_escalate, Escalation.Status.ACCEPTED, True),
}


@login_required
def escalation_decide(request, pk: int, decision: str):
    """Accept, reject or de-escalate: only the parent register's owner or a manager may."""
    if decision not in DECISIONS:
        raise Http404
    action, _expected, reason_required = DECISIONS[decision]
    escalation = access.get_object_for(
        request.user,
        Escalation.objects.select_related("risk", "risk__organisation", "risk__register", "from_register",
                                          "to_register", "to_register__organisation"),
        write=True, pk=pk,
    )
    form = (ReasonForm if reason_required else OptionalReasonForm)(pages.posted(request), user=request.user)
    return pages.form_page(
        request, form, template="registers/escalation_form.html",
        context={"risk": escalation.risk, "escalation": escalation, "decision": decision,
                 "target": escalation.to_register},
        save=lambda f: action(escalation=escalation, by=request.user, reason=f.cleaned_data["reason"]),
        message=lambda e: _("Escalation of %(ref)s: %(status)s.") % {
            "ref": e.risk.reference, "status": e.get_status_display().lower()},
        success_url=reverse("registers:escalation_inbox"),
    )


@login_required
def escalation_inbox(request):
    """Escalations waiting for a decision on the registers this person owns or manages."""
    pending = (
        Escalation.objects.filter(status=Escalation.Status.PROPOSED)
        .select_related("risk", "risk__organisation", "risk__register", "from_register", "to_register",
                        "to_register__organisation", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    # Decided in SQL: the person's own decisions a page at a time, the others' only counted and sampled.
    listing = pages.paginate(request, pending.changeable_by(request.user), per_page=INBOX_PER_PAGE)
    mine = list(listing["object_list"])
    waiting_elsewhere = pending.seen_not_changeable_by(request.user)
    others = list(waiting_elsewhere[:OTHERS_SHOWN])
    for escalation in [*mine, *others]:
        escalation.risk_score = escalation.risk.current_score
    decided = (
        Escalation.objects.visible_to(request.user).exclude(status=Escalation.Status.PROPOSED)
        # Those the person decided, and those on any register they may decide for (a manager's too).
        .filter(Q(decided_by=request.user) | Q(pk__in=Escalation.objects.changeable_by(request.user).values("pk")))
        .select_related("risk", "from_register", "to_register", "decided_by", "to_register__organisation")
        .order_by("-decided_at")[:20]
    )
    return render(request, "registers/escalation_inbox.html",
                  {"mine": mine, "others": others, "others_total": waiting_elsewhere.count(), "decided": decided,
                   **listing})


@login_required
def matrix_detail(request, org: str):
    """The organisation's scoring matrix: scales, bands, review frequency and appetite."""
    organisation = pages.organisation_for(request, org)
    matrix = RiskMatrix.for_organisation(organisation)
    bands = [(band, *band_range(matrix, band)) for band in matrix.band_list]
    grid = [
        [
            (likelihood, impact, matrix.band_for(scoring.score(likelihood, impact)))
            for impact in range(1, matrix.impact_levels + 1)
        ]
        for likelihood in range(matrix.likelihood_levels, 0, -1)
    ]
    return render(request, "registers/matrix_detail.html", {
        "organisation": organisation, "matrix": matrix, "bands": bands, "grid": grid,
        "can_manage": access.can_manage(request.user, organisation),
        "likelihood": [(n, matrix.descriptor("likelihood", n)) for n in range(1, matrix.likelihood_levels + 1)],
        "impact": [(n, matrix.descriptor("impact", n)) for n in range(1, matrix.impact_levels + 1)],
        "versions": list(MatrixVersion.objects.filter(matrix_id=matrix.pk).select_related("changed_by")[:10]),
    })


@login_required
def matrix_edit(request, org: str):
    """A manager changes the organisation's matrix: descriptors, bands, review intervals and appetite.

    "Preview the heat map" checks the bands and shows every cell in its band without saving."""
    organisation = pages.organisation_for(request, org)
    access.require(access.can_manage(request.user, organisation))
    matrix = RiskMatrix.objects.get(pk=RiskMatrix.for_organisation(organisation).pk)
    form = MatrixForm(pages.posted(request), instance=matrix, user=request.user)
    bands, previewing = RiskMatrix.for_organisation(organisation).band_list, False
    if form.is_valid():
        problems = scoring.band_problems([b["min_score"] for b in form.band_values], form.instance.max_score)
        if request.POST.get("preview"):
            previewing = True
            if problems:
                form.add_error(None, ValidationError(problems))
            else:
                bands = sorted((MatrixBand(**{k: v for k, v in b.items() if k in ("name", "min_score", "colour")})
                                for b in form.band_values), key=lambda band: band.min_score)
        else:
            try:
                services.update_matrix(matrix=form.instance, bands=form.band_values,
                                       categories=form.category_values, by=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The risk matrix was saved."))
                return HttpResponseRedirect(reverse("registers:matrix_detail", args=[organisation.slug]))
    likelihoods, impacts = form.instance.likelihood_levels, form.instance.impact_levels

    def band_for(score: int):
        return next((band for band in reversed(bands) if band.min_score <= score), None)

    grid = [[(likelihood, impact, band_for(scoring.score(likelihood, impact))) for impact in range(1, impacts + 1)]
            for likelihood in range(likelihoods, 0, -1)]
    return render(request, "registers/matrix_form.html", {
        "form": form, "organisation": organisation, "matrix": matrix, "grid": grid, "previewing": previewing,
        "impacts": range(1, impacts + 1)}, status=400 if form.errors else 200)


@login_required
def action_create(request, pk: int):
    risk = _risk(request.user, pk, write=True)
    form = ActionForm(pages.posted(request), user=request.user, risk=risk)
    return pages.form_page(request, form, template="registers/action_form.html", context={"risk": risk},
                           message=_("The action was added."), success_url=risk.get_absolute_url() + "#actions")


@login_required
def action_edit(request, pk: int):
    action = access.get_object_for(request.user, RiskAction.objects.select_related("risk"), write=True, pk=pk)
    risk = _risk(request.user, action.risk_id)
    form = ActionForm(pages.posted(request), instance=action, user=request.user, risk=risk)
    return pages.form_page(request, form, template="registers/action_form.html",
                           context={"risk": risk, "action": action},
                           message=_("The action was saved."), success_url=risk.get_absolute_url() + "#actions")


class RiskArchiveView(ArchiveView):
    """Archive a risk: it leaves the register's table; its history stays."""

    model = Risk

    def get_success_url(self, obj) -> str:
        return obj.register.get_absolute_url()
