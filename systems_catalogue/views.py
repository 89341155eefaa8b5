"""Catalogue pages. Thin: the organisation from the URL, the record through ``govtrack.access``, the rule
from the models and ``systems_catalogue.services``, the form saved by ``govtrack.pages.form_page``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrack import access, pages
from govtrack.audit import Related, history_for
from govtrack.middleware import current_organisation
from govtrack.models import Organisation
from govtrack.viewmixins import ArchiveView
from systems_catalogue import completeness, services
from systems_catalogue.filters import SystemFilterSet
from systems_catalogue.forms import (
    CatalogueSettingsForm,
    ContractForm,
    IntegrationForm,
    OwnerCommentForm,
    SupplierForm,
    SupplierMergeForm,
    SystemForm,
)
from systems_catalogue.imports import column_documentation
from systems_catalogue.models import (
    REQUIRED_FIELD_LABELS,
    CatalogueSettings,
    Contract,
    Integration,
    OwnerComment,
    Supplier,
    System,
)


def _catalogue(request, org: str) -> tuple[Organisation, dict]:
    """The organisation the URL names and what every catalogue page needs to know about it."""
    organisation = pages.organisation_for(request, org)
    return organisation, {
        "organisation": organisation,
        "can_create": access.can_create_in(request.user, organisation, System),
        "can_import": access.can_manage(request.user, organisation),
        "can_manage": access.can_manage(request.user, organisation),
    }


@login_required
def catalogue_home(request):
    """``/systems/``: the catalogue of the organisation chosen in the header."""
    organisation = current_organisation(request)
    if organisation is None:
        return render(request, "systems_catalogue/no_organisation.html")
    return HttpResponseRedirect(reverse("systems_catalogue:system_list", args=[organisation.slug]))


@login_required
def system_list(request, org: str):
    """The organisation's catalogue: filtered, sorted and paginated."""
    organisation, context = _catalogue(request, org)
    systems = System.objects.active().visible_to(request.user).for_organisation(organisation)
    filterset = SystemFilterSet(request.GET or None, queryset=systems.for_list(), request=request,
                                organisation=organisation)
    rows = completeness.estate_by_directorate(systems)
    context.update(pages.paginate(request, filterset.qs, per_page=25))
    context.update({"filter": filterset, "estate": completeness.estate_total(rows)})
    return render(request, "systems_catalogue/system_list.html", context)


def linked_risks(user):
    """The risks that name a system, as this person may see them.

    Risks link to systems from the registers app (which depends on this one, not the other way),
    so the model is reached through the relation rather than imported.
    """
    risk = System._meta.get_field("risks").related_model
    return risk.objects.visible_to(user).active().select_related("register").order_by("reference")


def _system_page_queryset(user):
    return (
        System.objects.for_list()
        .select_related("archived_by")
        .prefetch_related(
            "shared_with",
            Prefetch(
                "contracts",
                queryset=Contract.objects.active().with_notice_on().select_related("supplier"),
                to_attr="live_contracts",
            ),
            Prefetch("comments", queryset=OwnerComment.objects.select_related("author"), to_attr="all_comments"),
            Prefetch("outgoing_integrations", queryset=Integration.objects.select_related("target"),
                     to_attr="outgoing"),
            Prefetch("incoming_integrations", queryset=Integration.objects.select_related("source"),
                     to_attr="incoming"),
            Prefetch("risks", queryset=linked_risks(user), to_attr="linked_risks"),
        )
    )


def system_trail(system: System) -> tuple[Related, ...]:
    """What a system's trail includes besides the system: its contracts, owners' comments and integrations."""
    # Contract costs and owners' comments are what auditors ask about: their changes show here too.
    return (
        Related(Contract.history.filter(system_id=system.pk), _("Contract"), "reference"),
        Related(OwnerComment.history.filter(system_id=system.pk), _("Owner's comment"), "written_on"),
        Related(Integration.history.filter(source_id=system.pk), _("Integration"), ""),
    )


@login_required
def system_detail(request, pk: int):
    """One system: details, completeness, contracts, owners' comments, integrations, audit trail."""
    system = access.get_object_for(request.user, _system_page_queryset(request.user), pk=pk)
    return render(request, "systems_catalogue/system_detail.html", {
        "system": system, "object": system, "organisation": system.organisation,
        "completeness": system.completeness, "today": timezone.localdate(),
        "history": history_for(system, related=system_trail(system), user=request.user,
                               url=reverse("systems_catalogue:system_history", args=[system.pk])),
        "can_change": access.can_change(request.user, system),
        "can_restore": access.can_restore(request.user, system),
        "restore_url": reverse("systems_catalogue:system_restore", args=[system.pk]),
    })


@login_required
def system_create(request, org: str):
    organisation, context = _catalogue(request, org)
    access.require(context["can_create"])
    form = SystemForm(pages.posted(request), user=request.user, organisation=organisation)
    return pages.form_page(request, form, template="systems_catalogue/system_form.html", context=context,
                           message=lambda s: _("%(system)s was added to the catalogue.") % {"system": s})


@login_required
def system_update(request, pk: int):
    system = access.get_object_for(request.user, System.objects.select_related("organisation"), write=True, pk=pk)
    form = SystemForm(pages.posted(request), instance=system, user=request.user, organisation=system.organisation)
    return pages.form_page(request, form, template="systems_catalogue/system_form.html",
                           context={"object": system, "organisation": system.organisation},
                           message=lambda s: _("Your changes to %(system)s were saved.") % {"system": s})


class SystemArchiveView(ArchiveView):
    model = System
    slug_url_kwarg = "no-slug"

    def get_success_url(self, obj) -> str:
        return reverse("systems_catalogue:system_list", args=[obj.organisation.slug])


def _system_to_change(request, system_pk: int) -> System:
    """A system the person may add to (its owner, or a manager): 404 if hidden, 403 if not theirs."""
    return access.get_object_for(request.user, System.objects.active().select_related("organisation"), write=True,
                                 pk=system_pk)


@login_required
def contract_create(request, system_pk: int):
    system = _system_to_change(request, system_pk)
    form = ContractForm(pages.posted(request), user=request.user, system=system)
    return pages.form_page(request, form, template="systems_catalogue/contract_form.html",
                           context={"system": system}, message=_("The contract was added."),
                           success_url=system.get_absolute_url())


@login_required
def contract_update(request, system_pk: int, pk: int):
    system = _system_to_change(request, system_pk)
    contract = access.get_object_for(request.user, Contract.objects.active(), write=True, pk=pk, system=system)
    form = ContractForm(pages.posted(request), instance=contract, user=request.user, system=system)
    return pages.form_page(request, form, template="systems_catalogue/contract_form.html",
                           context={"system": system, "object": contract}, message=_("The contract was updated."),
                           success_url=system.get_absolute_url())


class ContractArchiveView(ArchiveView):
    model = Contract
    slug_url_kwarg = "no-slug"

    def get_queryset(self):
        return Contract.objects.active().visible_to(self.request.user).select_related("system")

    def get_success_url(self, obj) -> str:
        return obj.system.get_absolute_url()


@login_required
def comment_create(request, system_pk: int):
    """The owner (or a manager) records a dated comment; comments are kept as history."""
    system = _system_to_change(request, system_pk)
    form = OwnerCommentForm(pages.posted(request), user=request.user, system=system)
    return pages.form_page(request, form, template="systems_catalogue/comment_form.html",
                           context={"system": system}, message=_("Your comment was added."),
                           success_url=system.get_absolute_url())


@login_required
def integration_create(request, system_pk: int):
    """Record that data flows from this system to another of the organisation's systems."""
    system = _system_to_change(request, system_pk)
    form = IntegrationForm(pages.posted(request), user=request.user, source=system)
    return pages.form_page(request, form, template="systems_catalogue/integration_form.html",
                           context={"system": system}, message=_("The integration was recorded."),
                           success_url=system.get_absolute_url())


@login_required
def supplier_list(request, org: str):
    organisation, context = _catalogue(request, org)
    suppliers = Supplier.objects.active().visible_to(request.user).for_organisation(organisation).order_by("name")
    context.update(pages.paginate(request, suppliers, per_page=50))
    context["can_create"] = access.can_create_in(request.user, organisation, Supplier)
    return render(request, "systems_catalogue/supplier_list.html", context)


@login_required
def supplier_create(request, org: str):
    organisation, context = _catalogue(request, org)
    access.require(access.can_create_in(request.user, organisation, Supplier))
    form = SupplierForm(pages.posted(request), user=request.user, organisation=organisation)
    return pages.form_page(request, form, template="systems_catalogue/supplier_form.html", context=context,
                           message=lambda s: _("%(supplier)s was added.") % {"supplier": s},
                           success_url=reverse("systems_catalogue:supplier_list", args=[organisation.slug]))


@login_required
def supplier_merge(request, pk: int):
    """A manager makes two suppliers one (the same company written two ways), keeping the audit trail."""
    supplier = access.get_object_for(request.user, Supplier.objects.active().select_related("organisation"), pk=pk)
    organisation, context = _catalogue(request, supplier.organisation.slug)
    access.require(context["can_manage"])
    form = SupplierMergeForm(pages.posted(request), source=supplier)
    if form.is_valid():
        into = form.cleaned_data["into"]
        try:
            moved = services.merge_suppliers(source=supplier, into=into, by=request.user)
        except ValidationError as exc:
            form.add_error("into", exc)
        else:
            messages.success(request, _("%(source)s was merged into %(into)s: %(n)s records moved.")
                             % {"source": supplier.name, "into": into.name, "n": moved})
            return HttpResponseRedirect(reverse("systems_catalogue:supplier_list", args=[organisation.slug]))
    context.update({"form": form, "supplier": supplier, "systems": supplier.systems.count(),
                    "contracts": supplier.contracts.count()})
    return render(request, "systems_catalogue/supplier_merge.html", context, status=400 if form.errors else 200)


@login_required
def import_columns(request):
    """The spreadsheet layout the catalogue imports and exports, column by column."""
    organisation = current_organisation(request)
    can_import = organisation is not None and access.can_manage(request.user, organisation)
    return render(request, "systems_catalogue/import_columns.html",
                  {"columns": column_documentation(), "can_import": can_import, "organisation": organisation})


@login_required
def estate(request, org: str):
    """The estate's completeness: per directorate and in total."""
    organisation, context = _catalogue(request, org)
    systems = System.objects.active().visible_to(request.user).for_organisation(organisation)
    rows = completeness.estate_by_directorate(systems)
    context.update({"rows": rows, "total": completeness.estate_total(rows),
                    "by_field": completeness.missing_by_field(systems)})
    return render(request, "systems_catalogue/estate.html", context)


@login_required
def missing_list(request, org: str):
    """What is missing: every incomplete system with its missing fields, a work list for officers."""
    organisation, context = _catalogue(request, org)
    qs = System.objects.active().visible_to(request.user).for_organisation(organisation).for_list()
    qs = qs.filter(cmp_missing__gt=0)
    directorate = request.GET.get("directorate", "")
    if directorate.isdigit() and len(directorate) < 19:
        qs = qs.filter(directorate_id=int(directorate))
    elif directorate == "none":
        qs = qs.filter(directorate__isnull=True)
    field = request.GET.get("field", "")
    if field in REQUIRED_FIELD_LABELS:
        flag = f"{completeness.MISSING}{field}"
        qs = qs.filter(**{flag: 1}) if flag in qs.query.annotations else qs.none()
    context.update(pages.paginate(request, qs.order_by("completeness_score", "name"), per_page=50))
    context["field_label"] = REQUIRED_FIELD_LABELS.get(field)
    return render(request, "systems_catalogue/missing_list.html", context)


@login_required
def rationalisation(request, org: str):
    """Overlap and cost across the estate: shared capabilities and products, end of support, cost."""
    organisation, context = _catalogue(request, org)
    today = timezone.localdate()
    visible = System.objects.active().visible_to(request.user)
    systems = visible.for_organisation(organisation)
    contracts = Contract.objects.visible_to(request.user).for_organisation(organisation)
    products = [p for p in services.shared_products(systems=visible)
                if any(o.pk == organisation.pk for o in p.organisations)]
    context.update({
        "capabilities": services.capability_overlaps(systems=systems),
        "products": products,
        "unsupported": systems.past_end_of_support(today)
        .select_related("organisation", "owner", "supplier")
        .order_by("end_of_support_on"),
        "costs": services.costs(contracts=contracts, today=today),
    })
    return render(request, "systems_catalogue/rationalisation.html", context)


@login_required
def renewals(request, org: str):
    """Contracts needing a decision: notice already passed, due today, and coming within 6 and 12 months."""
    organisation, context = _catalogue(request, org)
    today = timezone.localdate()
    contracts = Contract.objects.visible_to(request.user).for_organisation(organisation)
    context.update({"renewals": services.renewals_by_stage(contracts=contracts, today=today), "today": today})
    return render(request, "systems_catalogue/renewals.html", context)


@login_required
def review_list(request, org: str):
    """Systems whose annual review is overdue, longest overdue first."""
    organisation, context = _catalogue(request, org)
    systems = (
        System.objects.active().visible_to(request.user).for_organisation(organisation)
        .review_overdue(timezone.localdate())
        .select_related("organisation", "directorate", "owner")
        .order_by("last_reviewed_on", "name")
    )
    context.update(pages.paginate(request, systems, per_page=50))
    return render(request, "systems_catalogue/review_list.html", context)


@login_required
def catalogue_settings(request, org: str):
    """A manager chooses which fields make a system complete, and how often systems are reviewed."""
    organisation, context = _catalogue(request, org)
    access.require(context["can_manage"])
    instance = CatalogueSettings.objects.filter(organisation=organisation).first() or CatalogueSettings(
        organisation=organisation
    )
    form = CatalogueSettingsForm(pages.posted(request), instance=instance, user=request.user)
    return pages.form_page(request, form, template="systems_catalogue/settings_form.html", context=context,
                           message=_("The catalogue settings were saved."),
                           success_url=reverse("systems_catalogue:estate", args=[organisation.slug]))
