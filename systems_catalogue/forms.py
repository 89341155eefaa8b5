"""Forms of the catalogue: validation lives in the models' ``clean()``; forms only shape the choices."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from govtrack import access
from govtrack.forms import GovukForm, GovukModelForm
from govtrack.models import Directorate, Membership, Organisation
from systems_catalogue.models import (
    DEFAULT_REQUIRED_FIELDS,
    REQUIRED_FIELD_LABELS,
    CatalogueSettings,
    Contract,
    Integration,
    OwnerComment,
    Supplier,
    System,
)


def people_of(organisation: Organisation):
    """People with an active role in the organisation, for owner choices."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation=organisation,
        )
        .exclude(memberships__status=Membership.Status.SUSPENDED)
        .exclude(service_account__isnull=False)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Several choices as GOV.UK checkboxes (a multiple select cannot be styled under our CSP)."""

    template_name = "systems_catalogue/widgets/checkboxes.html"


class ScopedModelForm(GovukModelForm):
    """A model form whose choices depend on the organisation or the parent record.

    Choices and the instance's parent are set in ``configure()``, which runs once, before any
    validation (``full_clean`` makes sure of it even if a caller validates early).
    """

    def __init__(self, *args, **kwargs):
        self._context = {name: kwargs.pop(name) for name in self.context_kwargs if name in kwargs}
        self._configured = False
        super().__init__(*args, **kwargs)
        self._configure()

    context_kwargs: tuple[str, ...] = ()

    def full_clean(self):
        self._configure()
        super().full_clean()

    def _configure(self) -> None:
        if not self._configured:
            self._configured = True
            self.configure(**self._context)

    def configure(self, **context) -> None:
        raise NotImplementedError


class SystemForm(ScopedModelForm):
    """Create or edit a system within one organisation."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    class Meta:
        model = System
        fields = [
            "organisation",
            "name",
            "purpose",
            "directorate",
            "service_area",
            "owner",
            "supplier",
            "product",
            "hosting",
            "lifecycle",
            "criticality",
            "personal_data",
            "capabilities",
            "shared_with",
            "url",
            "end_of_support_on",
            "last_reviewed_on",
        ]
        field_classes = {"owner": PersonChoiceField}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "end_of_support_on": forms.DateInput(),
            "last_reviewed_on": forms.DateInput(),
            "capabilities": GovukCheckboxes(),
            "shared_with": GovukCheckboxes(),
        }

    context_kwargs = ("user", "organisation")

    def configure(self, *, user, organisation: Organisation | None = None) -> None:
        if self.instance.pk:
            # A system stays in its organisation: the field is kept (fields may be being iterated) but fixed.
            organisation = self.instance.organisation
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.filter(pk=organisation.pk)
            field.disabled = True
            field.initial = organisation.pk
            field.widget = forms.HiddenInput()
        else:
            allowed = [o.pk for o in Organisation.objects.active().visible_to(user) if access.can_create_in(user, o)]
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=allowed)
            chosen = self.data.get(self.add_prefix("organisation")) if self.is_bound else None
            if chosen and str(chosen).isdigit() and int(chosen) in allowed:
                organisation = Organisation.objects.get(pk=chosen)
            if organisation is not None and organisation.pk in allowed:
                self.fields["organisation"].initial = organisation.pk
                self.instance.organisation = organisation
            if len(allowed) == 1:
                self.fields["organisation"].widget = forms.HiddenInput()
        org_id = organisation.pk if organisation else None
        self.fields["directorate"].queryset = Directorate.objects.active().filter(organisation_id=org_id)
        self.fields["supplier"].queryset = Supplier.objects.active().filter(organisation_id=org_id)
        self.fields["owner"].queryset = people_of(organisation) if organisation else get_user_model().objects.none()
        self.fields["shared_with"].queryset = Organisation.objects.active().exclude(pk=org_id)
        self.fields["shared_with"].help_text = _("Other partners that use the same product.")


class ContractForm(ScopedModelForm):
    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "supplier",
            "awarded_on",
            "start_on",
            "end_on",
            "notice_period_days",
            "renewal_terms",
            "annual_licence_cost",
            "annual_support_cost",
            "annual_hosting_cost",
            "one_off_cost",
            "total_value",
            "procurement_route",
            "notice_url",
        ]
        widgets = {
            "awarded_on": forms.DateInput(),
            "start_on": forms.DateInput(),
            "end_on": forms.DateInput(),
            "renewal_terms": forms.Textarea(attrs={"rows": 2}),
            "notice_period_days": forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
            **{
                name: forms.NumberInput(attrs={"class": "govuk-input--width-10", "step": "0.01"})
                for name in [
                    "annual_licence_cost",
                    "annual_support_cost",
                    "annual_hosting_cost",
                    "one_off_cost",
                    "total_value",
                ]
            },
        }

    context_kwargs = ("system",)

    def configure(self, *, system: System) -> None:
        self.instance.system = system
        self.fields["supplier"].queryset = Supplier.objects.active().filter(organisation_id=system.organisation_id)
        if not self.instance.pk and system.supplier_id:
            self.fields["supplier"].initial = system.supplier_id


class OwnerCommentForm(ScopedModelForm):
    class Meta:
        model = OwnerComment
        fields = ["written_on", "text"]
        widgets = {"written_on": forms.DateInput(), "text": forms.Textarea(attrs={"rows": 4})}

    context_kwargs = ("system", "author")

    def configure(self, *, system: System, author) -> None:
        self.instance.system = system
        self.instance.author = author


class IntegrationForm(ScopedModelForm):
    class Meta:
        model = Integration
        fields = ["target", "description"]

    context_kwargs = ("source",)

    def configure(self, *, source: System) -> None:
        self.instance.source = source
        self.fields["target"].queryset = (
            System.objects.active().filter(organisation_id=source.organisation_id).exclude(pk=source.pk)
        )

    def clean_target(self):
        target = self.cleaned_data["target"]
        if Integration.objects.filter(source=self.instance.source, target=target).exists():
            raise forms.ValidationError(_("This integration is already recorded."))
        return target


class SupplierForm(ScopedModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    context_kwargs = ("organisation",)

    def configure(self, *, organisation: Organisation) -> None:
        self.instance.organisation = organisation


class CatalogueSettingsForm(GovukModelForm):
    required_fields = forms.MultipleChoiceField(
        label=_("Required fields"),
        choices=list(REQUIRED_FIELD_LABELS.items()),
        widget=GovukCheckboxes(),
        help_text=_("A system counts as complete when every chosen field is filled in."),
    )

    class Meta:
        model = CatalogueSettings
        fields = ["required_fields", "review_interval_days"]
        widgets = {"review_interval_days": forms.NumberInput(attrs={"class": "govuk-input--width-5"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial["required_fields"] = list(DEFAULT_REQUIRED_FIELDS)


class RenewalWindowForm(GovukForm):
    months = forms.TypedChoiceField(
        label=_("Ending within"),
        choices=[(6, _("6 months")), (12, _("12 months"))],
        coerce=int,
        required=False,
    )
