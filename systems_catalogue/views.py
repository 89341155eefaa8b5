"""Catalogue pages: thin views that authorise through ``govtrack.access`` and read the models' rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_filters.views import FilterView

from govtrack import access
from govtrack.audit import Related
from govtrack.middleware import current_organisation
from govtrack.models import Organisation
from govtrack.viewmixins import ArchiveView, AuditTrailMixin, ScopedQuerysetMixin
from systems_catalogue import completeness, services
from systems_catalogue.filters import SystemFilterSet
from systems_catalogue.forms import (
    CatalogueSettingsForm,
    ContractForm,
    IntegrationForm,
    OwnerCommentForm,
    SupplierForm,
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


def _can_import(request) -> bool:
    organisation = current_organisation(request)
    return organisation is not None and access.can_manage(request.user, organisation)


class SystemListView(ScopedQuerysetMixin, FilterView):
    """The catalogue: every visible system, filtered, sorted and paginated."""

    queryset = System.objects.active()
    filterset_class = SystemFilterSet
    template_name = "systems_catalogue/system_list.html"
    paginate_by = 25
    strict = False

    def get_queryset(self):
        return super().get_queryset().for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = current_organisation(self.request)
        context["can_create"] = organisation is not None and access.can_create_in(self.request.user, organisation)
        context["can_import"] = _can_import(self.request)
        rows = completeness.estate_by_directorate(System.objects.active().visible_to(self.request.user))
        context["estate"] = completeness.estate_total(rows)
        return context


def linked_risks(user):
    """The risks that name a system, as this person may see them.

    Risks link to systems from the registers app (which depends on this one, not the other way),
    so the model is reached through the relation rather than imported.
    """
    risk = System._meta.get_field("risks").related_model
    return risk.objects.visible_to(user).active().select_related("register").order_by("reference")


class SystemDetailView(ScopedQuerysetMixin, AuditTrailMixin, DetailView):
    """One system: details, completeness, contracts, owners' comments, integrations, audit trail."""

    queryset = System.objects.all()
    template_name = "systems_catalogue/system_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .for_list()
            .select_related("archived_by")
            .prefetch_related(
                "shared_with",
                Prefetch(
                    "contracts",
                    queryset=Contract.objects.active().with_notice_on().select_related("supplier"),
                    to_attr="live_contracts",
                ),
                Prefetch("comments", queryset=OwnerComment.objects.select_related("author"), to_attr="all_comments"),
                Prefetch(
                    "outgoing_integrations",
                    queryset=Integration.objects.select_related("target"),
                    to_attr="outgoing",
                ),
                Prefetch(
                    "incoming_integrations",
                    queryset=Integration.objects.select_related("source"),
                    to_attr="incoming",
                ),
                Prefetch("risks", queryset=linked_risks(self.request.user), to_attr="linked_risks"),
            )
        )

    def history_related(self) -> tuple[Related, ...]:
        # Contract costs and owners' comments are what auditors ask about: their changes show here too.
        pk = self.object.pk
        return (
            Related(Contract.history.filter(system_id=pk), _("Contract"), "reference"),
            Related(OwnerComment.history.filter(system_id=pk), _("Owner's comment"), "written_on"),
            Related(Integration.history.filter(source_id=pk), _("Integration"), ""),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["completeness"] = self.object.completeness
        context["today"] = timezone.localdate()
        return context


class SystemCreateView(LoginRequiredMixin, CreateView):
    model = System
    form_class = SystemForm
    template_name = "systems_catalogue/system_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        organisation = current_organisation(self.request)
        access.require(any(access.can_create_in(self.request.user, o) for o in _organisations_of(self.request)))
        kwargs.update(user=self.request.user, organisation=organisation)
        return kwargs

    def form_valid(self, form):
        access.require(access.can_create_in(self.request.user, form.instance.organisation))
        response = super().form_valid(form)
        messages.success(self.request, _("%(system)s was added to the catalogue.") % {"system": self.object})
        return response


def _organisations_of(request):
    return Organisation.objects.active().visible_to(request.user)


class SystemUpdateView(ScopedQuerysetMixin, UpdateView):
    model = System
    form_class = SystemForm
    template_name = "systems_catalogue/system_form.html"
    write = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your changes to %(system)s were saved.") % {"system": self.object})
        return response


class SystemArchiveView(ArchiveView):
    model = System
    slug_url_kwarg = "no-slug"

    def get_success_url(self, obj) -> str:
        return reverse("systems_catalogue:system_list")


class _SystemChildMixin(LoginRequiredMixin):
    """Pages that add to a system: the system must be visible, and changeable by the person."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.system = access.get_object_for(
            request.user, System.objects.active(), write=self.system_write, pk=kwargs["system_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    system_write = True

    def get_success_url(self) -> str:
        return self.system.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["system"] = self.system
        return context


class ContractCreateView(_SystemChildMixin, CreateView):
    model = Contract
    form_class = ContractForm
    template_name = "systems_catalogue/contract_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "system": self.system}

    def form_valid(self, form):
        messages.success(self.request, _("The contract was added."))
        return super().form_valid(form)


class ContractUpdateView(_SystemChildMixin, UpdateView):
    model = Contract
    form_class = ContractForm
    template_name = "systems_catalogue/contract_form.html"

    def get_object(self, queryset=None):
        return access.get_object_for(
            self.request.user, Contract.objects.active(), write=True, pk=self.kwargs["pk"], system=self.system
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "system": self.system}

    def form_valid(self, form):
        messages.success(self.request, _("The contract was updated."))
        return super().form_valid(form)


class ContractArchiveView(ArchiveView):
    model = Contract
    slug_url_kwarg = "no-slug"

    def get_queryset(self):
        return Contract.objects.active().visible_to(self.request.user).select_related("system")

    def get_success_url(self, obj) -> str:
        return obj.system.get_absolute_url()


class OwnerCommentCreateView(_SystemChildMixin, CreateView):
    """The owner (or a manager) records a dated comment; comments are kept as history."""

    model = OwnerComment
    form_class = OwnerCommentForm
    template_name = "systems_catalogue/comment_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "system": self.system, "author": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("Your comment was added."))
        return super().form_valid(form)


class IntegrationCreateView(_SystemChildMixin, CreateView):
    """Record that data flows from this system to another of the organisation's systems."""

    model = Integration
    form_class = IntegrationForm
    template_name = "systems_catalogue/integration_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.system}

    def form_valid(self, form):
        messages.success(self.request, _("The integration was recorded."))
        return super().form_valid(form)


class SupplierListView(ScopedQuerysetMixin, ListView):
    queryset = Supplier.objects.active().select_related("organisation").order_by("organisation__name", "name")
    template_name = "systems_catalogue/supplier_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = current_organisation(self.request)
        context["can_create"] = organisation is not None and access.can_create_in(self.request.user, organisation)
        return context


class SupplierCreateView(LoginRequiredMixin, CreateView):
    model = Supplier
    form_class = SupplierForm
    template_name = "systems_catalogue/supplier_form.html"

    def get_form_kwargs(self):
        organisation = current_organisation(self.request)
        access.require(organisation is not None and access.can_create_in(self.request.user, organisation))
        return {**super().get_form_kwargs(), "organisation": organisation}

    def get_success_url(self) -> str:
        messages.success(self.request, _("%(supplier)s was added.") % {"supplier": self.object})
        return reverse("systems_catalogue:supplier_list")


@login_required
def import_columns(request):
    """The spreadsheet layout the catalogue imports and exports, column by column."""
    return render(
        request,
        "systems_catalogue/import_columns.html",
        {"columns": column_documentation(), "can_import": _can_import(request)},
    )


@login_required
def estate(request):
    """The estate's completeness: per directorate, in total, for the systems the person may see."""
    systems = System.objects.active().visible_to(request.user)
    rows = completeness.estate_by_directorate(systems)
    return render(
        request,
        "systems_catalogue/estate.html",
        {
            "rows": rows,
            "total": completeness.estate_total(rows),
            "by_field": completeness.missing_by_field(systems),
        },
    )


class MissingListView(ScopedQuerysetMixin, ListView):
    """What is missing: every incomplete system with its missing fields, a work list for officers."""

    queryset = System.objects.active()
    template_name = "systems_catalogue/missing_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = super().get_queryset().for_list().filter(cmp_missing__gt=0)
        directorate = self.request.GET.get("directorate")
        if directorate and directorate.isdigit():
            qs = qs.filter(directorate_id=directorate)
        elif directorate == "none":
            qs = qs.filter(directorate__isnull=True)
        field = self.request.GET.get("field", "")
        if field in REQUIRED_FIELD_LABELS:
            qs = (
                qs.filter(**{f"{completeness.MISSING}{field}": 1})
                if f"{completeness.MISSING}{field}" in (qs.query.annotations)
                else qs.none()
            )
        return qs.order_by("completeness_score", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["field_label"] = REQUIRED_FIELD_LABELS.get(self.request.GET.get("field", ""))
        return context


@login_required
def rationalisation(request):
    """Overlap and cost across the estate: shared capabilities and products, end of support, cost."""
    today = timezone.localdate()
    systems = System.objects.active().visible_to(request.user)
    contracts = Contract.objects.visible_to(request.user)
    return render(
        request,
        "systems_catalogue/rationalisation.html",
        {
            "capabilities": services.capability_overlaps(systems=systems),
            "products": services.shared_products(systems=systems),
            "unsupported": systems.past_end_of_support(today)
            .select_related("organisation", "owner", "supplier")
            .order_by("end_of_support_on"),
            "costs": services.costs(contracts=contracts, today=today),
        },
    )


@login_required
def renewals(request):
    """Contracts ending (or needing notice) within 6 and 12 months, with their notice dates."""
    today = timezone.localdate()
    contracts = Contract.objects.visible_to(request.user)

    def within(months: int) -> list[Contract]:
        days = (services.months_ahead(today, months) - today).days
        return services.renewals(contracts=contracts, today=today, days=days)

    within_6 = within(6)
    six_ids = {c.pk for c in within_6}
    within_12 = [c for c in within(12) if c.pk not in six_ids]
    return render(
        request, "systems_catalogue/renewals.html", {"within_6": within_6, "within_12": within_12, "today": today}
    )


class ReviewListView(ScopedQuerysetMixin, ListView):
    """Systems whose annual review is overdue, longest overdue first."""

    queryset = System.objects.active()
    template_name = "systems_catalogue/review_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .review_overdue(timezone.localdate())
            .select_related("organisation", "directorate", "owner")
            .order_by("last_reviewed_on", "name")
        )


@login_required
def catalogue_settings(request):
    """A manager chooses which fields make a system complete, and how often systems are reviewed."""
    organisation = current_organisation(request)
    if organisation is None:
        raise Http404
    if not access.can_manage(request.user, organisation):
        raise PermissionDenied
    instance = CatalogueSettings.objects.filter(organisation=organisation).first() or CatalogueSettings(
        organisation=organisation
    )
    form = CatalogueSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The catalogue settings were saved."))
        return HttpResponseRedirect(reverse("systems_catalogue:estate"))
    return render(request, "systems_catalogue/settings_form.html", {"form": form, "organisation": organisation})
