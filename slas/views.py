"""Pages of the SLAs. Thin: parse, authorise through govtrack.access, call the rule in slas.services, respond."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrack import access, charts, pages, spreadsheets
from govtrack.audit import history_for
from govtrack.imports import MAX_UPLOAD_BYTES
from govtrack.models import Organisation, Partnership
from slas import imports, periods, services
from slas.filters import AgreementFilterSet, BreachFilterSet
from slas.forms import AgreementForm, MeasurementGridForm, ServiceLineForm
from slas.models import Agreement, Breach, Measurement, ServiceLine

AGREEMENTS_PER_PAGE = 50
BREACHES_PER_PAGE = 50
#: Periods of performance an agreement's page shows (the API and the export give the rest).
PERIODS_SHOWN = 12


def _agreement(user, pk: int, *, write: bool = False) -> Agreement:
    return access.get_object_for(user, Agreement.objects.for_pages().select_related("supersedes", "risk_register"),
                                 write=write, pk=pk)


def _list_queryset(request, base):
    filterset = AgreementFilterSet(request.GET or None, queryset=base)
    agreements = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    agreements = agreements.for_pages().annotate(
        line_count=Count("lines", distinct=True),
        open_breaches=Count("lines__breaches", filter=Q(lines__breaches__cleared_at__isnull=True), distinct=True),
    ).order_by("client__name", "reference", "-revision")
    return filterset, agreements


AGREEMENT_COLUMNS = [
    ("reference", "Reference", lambda a: a.reference), ("title", "Title", lambda a: a.title),
    ("version", "Version", lambda a: a.revision), ("provider", "Provider", lambda a: str(a.provider)),
    ("client", "Client", lambda a: str(a.client)), ("status", "Status", lambda a: a.get_status_display()),
    ("effective_from", "In force from", lambda a: a.effective_from),
    ("effective_to", "Until", lambda a: a.effective_to), ("review_on", "Review date", lambda a: a.review_on),
    ("annual_charge", "Annual charge", lambda a: a.annual_charge),
    ("open_breaches", "Open breaches", lambda a: a.open_breaches),
]


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download through the one neutralising writer."""
    dataset = tablib.Dataset(headers=header)
    for row in rows:
        dataset.append(row)
    response = HttpResponse(spreadsheets.csv_bytes(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _list_page(request, *, base, organisation=None, title: str, organisations=()):
    filterset, agreements = _list_queryset(request, base)
    if request.GET.get("format") == "csv":
        return csv_response("agreements.csv", [label for _k, label, _g in AGREEMENT_COLUMNS],
                            ([getter(a) for _k, _l, getter in AGREEMENT_COLUMNS]
                             for a in agreements.iterator(chunk_size=500)))
    context = pages.paginate(request, agreements, per_page=AGREEMENTS_PER_PAGE)
    partnerships = Partnership.objects.filter(pk__in=access.visible_partnership_ids(request.user),
                                              archived_at__isnull=True).order_by("name")
    context.update({"filter": filterset, "organisation": organisation, "title": title, "partnerships": partnerships,
                    "organisations": organisations,
                    "today": timezone.localdate(),
                    "can_create": organisation is not None and access.can_create_in(request.user, organisation,
                                                                                    Agreement)})
    return render(request, "slas/agreement_list.html", context)


@login_required
def agreement_index(request):
    """Every agreement the person may read."""
    mine = Organisation.objects.active().visible_to(request.user).order_by("name")[:50]
    return _list_page(request, base=Agreement.objects.visible_to(request.user).active(), title=_("Agreements"),
                      organisations=mine)


@login_required
def agreement_list(request, org: str):
    """The organisation's agreements, as provider or as client."""
    organisation = pages.organisation_for(request, org)
    base = Agreement.objects.visible_to(request.user).active().for_organisation(organisation)
    return _list_page(request, base=base, organisation=organisation,
                      title=_("Agreements of %(org)s") % {"org": organisation})


@login_required
def agreement_create(request, org: str):
    organisation = pages.organisation_for(request, org)
    access.require(access.can_create_in(request.user, organisation, Agreement))
    form = AgreementForm(pages.posted(request), user=request.user, organisation=organisation)
    return pages.form_page(request, form, template="slas/agreement_form.html",
                           context={"organisation": organisation},
                           message=lambda a: _("Agreement %(name)s was created: add its service lines.") % {"name": a})


@login_required
def agreement_edit(request, pk: int):
    agreement = _agreement(request.user, pk, write=True)
    if agreement.status in (Agreement.Status.SUPERSEDED, Agreement.Status.EXPIRED):
        messages.error(request, Agreement.locked_message(agreement.status))
        return HttpResponseRedirect(agreement.get_absolute_url())
    form = AgreementForm(pages.posted(request), instance=agreement, user=request.user,
                         organisation=agreement.client)
    return pages.form_page(request, form, template="slas/agreement_form.html",
                           context={"organisation": agreement.client, "agreement": agreement},
                           message=lambda a: _("Agreement %(name)s was saved.") % {"name": a})


def performance_table(lines: list[ServiceLine], measurements, starts: list[date]) -> list[dict]:
    """Rows of the performance table: per line, its figure for each period and whether it met the target."""
    by_line: dict[int, dict[date, Measurement]] = defaultdict(dict)
    for measurement in measurements:
        by_line[measurement.service_line_id][measurement.period] = measurement
    rows = []
    for line in lines:
        cells = []
        for start in starts:
            measurement = by_line[line.pk].get(periods.period_start(start, line.period))
            in_period = start == periods.period_start(start, line.period)
            cells.append({"measurement": measurement if in_period else None,
                          "met": line.meets(measurement.actual) if measurement and in_period else None,
                          "applies": in_period})
        rows.append({"line": line, "cells": cells})
    return rows


def _window(agreement: Agreement, today: date) -> list[date]:
    """The months the agreement's page shows: the last twelve up to today (or its end)."""
    last = periods.month_start(min(today, agreement.effective_to) if agreement.effective_to else today)
    first = periods.add_months(last, -(PERIODS_SHOWN - 1))
    if agreement.effective_from and first < periods.month_start(agreement.effective_from):
        first = periods.month_start(agreement.effective_from)
    return periods.periods_between(first, last, periods.MONTHLY) if first <= last else []


@login_required
def agreement_detail(request, pk: int):
    """An agreement: its terms, lines, the last twelve months' performance, breaches, risks, versions, audit trail."""
    agreement = _agreement(request.user, pk)
    today = timezone.localdate()
    lines = list(agreement.lines.all())
    starts = _window(agreement, today)
    measurements = (Measurement.objects.filter(service_line__agreement=agreement,
                                               period__gte=starts[0], period__lte=starts[-1])
                    if starts else Measurement.objects.none())
    rows = performance_table(lines, measurements, starts)
    met_points = []
    for index, start in enumerate(starts):
        figures = [row["cells"][index]["met"] for row in rows if row["cells"][index]["met"] is not None]
        if figures:
            met_points.append((start, round(100 * sum(figures) / len(figures), 1)))
    chart = charts.line_chart(title=_("Share of targets met each month, %(agreement)s") % {"agreement": agreement},
                              points=met_points, y_max=100, y_label=_("% of targets met")) if met_points else ""
    breaches = list(Breach.objects.filter(service_line__agreement=agreement).select_related(
        "service_line", "risk").order_by("-period", "service_line_id")[:20])
    risks = list(agreement.risks.active().select_related("register", "organisation"))
    versions = list(Agreement.objects.visible_to(request.user).filter(
        provider=agreement.provider_id, client=agreement.client_id, reference=agreement.reference)
        .exclude(pk=agreement.pk).order_by("-revision").only("pk", "title", "revision", "status"))
    can_change = access.can_change(request.user, agreement)
    return render(request, "slas/agreement_detail.html", {
        "agreement": agreement, "lines": lines, "rows": rows, "starts": starts, "chart": chart,
        "breaches": breaches, "risks": risks, "versions": versions, "today": today,
        "can_change": can_change and agreement.is_editable,
        "can_edit": can_change and agreement.status not in (Agreement.Status.SUPERSEDED, Agreement.Status.EXPIRED),
        "can_negotiate": can_change and agreement.status == Agreement.Status.DRAFT,
        "can_approve": agreement.approval_problem(request.user) is None,
        "can_publish": can_change and agreement.status == Agreement.Status.AGREED and not agreement.published_at,
        "can_version": can_change and agreement.status in (Agreement.Status.AGREED, Agreement.Status.EXPIRED)
        and not any(v.revision > agreement.revision for v in versions),
        "can_submit": bool(lines) and services.can_submit(request.user, lines[0])
        and agreement.status != Agreement.Status.SUPERSEDED,
        "can_share": can_change and agreement.status != Agreement.Status.SUPERSEDED,
        "can_import": access.can_change(request.user, agreement) and agreement.status != Agreement.Status.SUPERSEDED,
        "history": history_for(agreement, limit=30, user=request.user,
                               url=reverse("slas:agreement_history", args=[agreement.pk])),
    })


#: The lifecycle actions a POST may ask for, and the service that does each.
ACTIONS = {
    "negotiate": (services.start_negotiation, "Sent for negotiation."),
    "approve": (services.approve_agreement, "Agreed: the SLA is approved."),
    "publish": (services.publish_agreement, "Published: the partner's staff can read what service to expect."),
    "new-version": (services.new_version, "A new draft version was started."),
    "share": (services.share_with_partnership, "Every member of the partnership can now read this agreement."),
    "unshare": (services.stop_sharing, "Only the two parties can read this agreement now."),
}


@login_required
@require_POST
def agreement_action(request, pk: int, action: str):
    agreement = _agreement(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    function, message = ACTIONS[action]
    try:
        result = function(agreement=agreement, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(agreement.get_absolute_url())
    messages.success(request, _(message))
    return HttpResponseRedirect(result.get_absolute_url())


@login_required
def agreement_published(request, pk: int):
    """What service to expect: the published agreement in plain language, for every member of both parties."""
    agreement = _agreement(request.user, pk)
    if not agreement.is_published:
        raise Http404(_("This agreement is not published."))
    return render(request, "slas/agreement_published.html", {"agreement": agreement,
                                                             "lines": list(agreement.lines.all())})


@login_required
def line_create(request, pk: int):
    agreement = _agreement(request.user, pk, write=True)
    form = ServiceLineForm(pages.posted(request), user=request.user, agreement=agreement)
    return pages.form_page(request, form, template="slas/line_form.html", context={"agreement": agreement},
                           success_url=agreement.get_absolute_url(),
                           message=lambda line: _("Service line %(name)s was added.") % {"name": line})


@login_required
def line_edit(request, pk: int):
    line = access.get_object_for(request.user, ServiceLine.objects.select_related(
        "agreement", "agreement__client", "agreement__provider"), write=True, pk=pk)
    form = ServiceLineForm(pages.posted(request), instance=line, user=request.user, agreement=line.agreement)
    return pages.form_page(request, form, template="slas/line_form.html",
                           context={"agreement": line.agreement, "line": line},
                           success_url=line.agreement.get_absolute_url(),
                           message=lambda line: _("Service line %(name)s was saved.") % {"name": line})


def _grid_period(request, agreement: Agreement, today: date) -> date:
    chosen = periods.parse_month(request.GET.get("period") or request.POST.get("period") or "")
    if chosen is None:
        chosen = periods.add_months(periods.month_start(today), -1)  # last month: the one being reported
    return chosen


@login_required
def measurement_grid(request, pk: int):
    """Figures for every line of an agreement for one month, in one form (all saved, or none)."""
    agreement = _agreement(request.user, pk)
    lines = [line for line in agreement.lines.all()]
    if not lines or not services.can_submit(request.user, lines[0]):
        raise PermissionDenied
    today = timezone.localdate()
    period = _grid_period(request, agreement, today)
    due = [line for line in lines if periods.is_period_start(period, line.period)]
    existing = {m.service_line_id: m for m in Measurement.objects.filter(service_line__in=due, period=period)}
    form = MeasurementGridForm(pages.posted(request), user=request.user, lines=due, existing=existing)
    if request.method == "POST" and form.is_valid():
        result = services.submit_month(agreement=agreement, period=period, rows=form.rows(), by=request.user)
        if not result.errors:
            messages.success(request, _("%(n)s figure(s) saved for %(period)s.") % {
                "n": len(result.saved), "period": periods.label(period, periods.MONTHLY)})
            return HttpResponseRedirect(agreement.get_absolute_url())
        for index, problems in result.errors.items():
            line = due[index]
            for name, texts in problems.items():
                field = f"actual_{line.pk}" if name in ("actual", "service_line", "non_field_errors") else None
                for text in texts:
                    form.add_error(field if name != "period" else None, text)
    return render(request, "slas/measurement_grid.html", {
        "agreement": agreement, "form": form, "period": period, "due": due,
        "previous": periods.add_months(period, -1), "next": periods.add_months(period, 1),
        "period_label": periods.label(period, periods.MONTHLY), "has_next": periods.add_months(period, 1) <= today,
    })


@login_required
def breach_list(request, org: str):
    """Breaches of the organisation's agreements, newest first, filtered like the API."""
    organisation = pages.organisation_for(request, org)
    base = Breach.objects.visible_to(request.user).filter(
        Q(service_line__agreement__client=organisation) | Q(service_line__agreement__provider=organisation))
    filterset = BreachFilterSet(request.GET or None, queryset=base)
    breaches = (filterset.qs if filterset.is_bound and filterset.is_valid() else base).for_pages()
    context = pages.paginate(request, breaches, per_page=BREACHES_PER_PAGE)
    context.update({"organisation": organisation, "filter": filterset})
    return render(request, "slas/breach_list.html", context)


@login_required
def partnership_view(request, slug: str):
    """Every partner's agreements and their status, performance by month, breaches, charges and value for money."""
    partnership = get_object_or_404(Partnership.objects.filter(archived_at__isnull=True), slug=slug)
    if not (request.user.is_superuser or partnership.pk in access.visible_partnership_ids(request.user)):
        raise Http404
    today = timezone.localdate()
    agreements = services.partnership_agreements(partnership)
    readable = set(Agreement.objects.visible_to(request.user).filter(pk__in=agreements.values("pk"))
                   .values_list("pk", flat=True))
    agreement_rows = list(agreements.select_related("client").prefetch_related(
        Prefetch("lines", queryset=ServiceLine.objects.only("pk", "agreement_id"))).order_by(
        "client__name", "-revision"))
    last = periods.add_months(periods.month_start(today), -1)
    first = periods.add_months(last, -(PERIODS_SHOWN - 1))
    months = periods.periods_between(first, last, periods.MONTHLY)
    figures = services.performance_by_partner_month(agreements=agreements, start=first, end=last)
    clients = {a.client_id: a.client for a in agreement_rows}
    grid: dict[int, dict[date, services.MonthFigure]] = defaultdict(dict)
    for figure in figures:
        grid[figure.client_id][figure.period] = figure
    performance = [{"client": client, "cells": [grid[client_id].get(month) for month in months]}
                   for client_id, client in clients.items()]
    chart_points = []
    for month in months:
        cells = [grid[c].get(month) for c in clients]
        measured = sum(f.measured for f in cells if f)
        if measured:
            chart_points.append((month, round(100 * sum(f.met for f in cells if f) / measured, 1)))
    chart = charts.line_chart(title=_("Share of targets met across the partnership each month"),
                              points=chart_points, y_max=100, y_label=_("% of targets met")) if chart_points else ""
    year_start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)  # the public sector's year
    return render(request, "slas/partnership.html", {
        "partnership": partnership, "agreements": agreement_rows, "readable": readable, "months": months,
        "performance": performance, "chart": chart, "year_start": year_start,
        "value": services.value_for_money(agreements=agreements, year_start=year_start),
        "charges": services.charge_by_service(agreements=agreements),
        "breaches": list(services.breaches_in_period(agreements=agreements, start=first, end=last)[:20]),
        "members": partnership.memberships.current(today).select_related("organisation"),
    })


_UPLOADS = "slas_measurement_uploads"


@login_required
def measurement_import(request, pk: int):
    """Upload a KPI spreadsheet, map its columns, preview, then import it as the agreement's measurements."""
    agreement = _agreement(request.user, pk)
    access.require(access.can_change(request.user, agreement))
    context = {"agreement": agreement, "columns": list(imports.COLUMNS), "required": imports.REQUIRED,
               "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "slas/measurement_import.html", context)
    uploads = request.session.get(_UPLOADS, {})
    upload_id, mapping = request.POST.get("upload_id", ""), None
    if "file" in request.FILES:
        upload = request.FILES["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            context["file_error"] = _("The file is larger than %(mb)s MB.") % {"mb": context["max_mb"]}
            return render(request, "slas/measurement_import.html", context, status=400)
        upload_id = uuid.uuid4().hex
        path = default_storage.save(f"imports/{upload_id}-{slugify(upload.name)[-60:]}", ContentFile(upload.read()))
        uploads[upload_id] = {"path": path, "name": upload.name}
        request.session[_UPLOADS] = uploads
    elif upload_id not in uploads:
        context["file_error"] = _("Choose a CSV or XLSX file to upload (an earlier upload has expired).")
        return render(request, "slas/measurement_import.html", context, status=400)
    else:
        mapping = {column: request.POST.get(f"map-{column}", "") for column in imports.COLUMNS}
    stored = uploads[upload_id]
    with default_storage.open(stored["path"], "rb") as handle:
        content = handle.read()
    zero_is_gap = request.POST.get("keep_zero") != "yes"
    result = imports.import_measurements(agreement=agreement, content=content, filename=stored["name"],
                                         by=request.user, mapping=mapping, zero_is_gap=zero_is_gap,
                                         dry_run=request.POST.get("action") != "import")
    if result.committed:
        default_storage.delete(stored["path"])
        uploads.pop(upload_id, None)
        request.session.modified = True
        messages.success(request, _("Imported %(c)s new and %(u)s updated figures.") % {
            "c": result.created, "u": result.updated})
        return HttpResponseRedirect(agreement.get_absolute_url())
    context.update({"result": result, "upload_id": upload_id, "filename": stored["name"],
                    "keep_zero": not zero_is_gap})
    return render(request, "slas/measurement_import.html", context, status=200 if result.ok else 400)
