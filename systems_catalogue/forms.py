"""Forms of the catalogue: validation lives in the models' ``clean()``; forms only shape the choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govtrack.forms import GovtrackModelForm, GovukForm
from govtrack.models import Directorate, Organisation
from govtrack.people import members_of
from systems_catalogue.models import (
    DEFAULT_REQUIRED_FIELDS,
    REQUIRED_FIELD_LABELS,
    CatalogueSettings,
    Contract,
    Integration,
    OwnerComment,
    Supplier,
    System,
    applicability_conditions,
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Several choices as GOV.UK checkboxes (a multiple select cannot be styled under our CSP)."""

    template_name = "systems_catalogue/widgets/checkboxes.html"


class SystemForm(GovtrackModelForm):
    """Create or edit a system of the organisation the page's URL names."""

    class Meta:
        model = System
        fields = [
            "name",
            "purpose",
            "directorate",
            "service_area",
            "owner",
            "sourcing",
            "supplier",
            "developer",
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

    context_kwargs = ("organisation",)

    def configure(self, *, organisation: Organisation) -> None:
        if not self.instance.pk:
            self.instance.organisation = organisation
        organisation = self.instance.organisation
        self.fields["directorate"].queryset = Directorate.objects.active().for_organisation(organisation)
        self.fields["supplier"].queryset = Supplier.objects.active().for_organisation(organisation)
        self.fields["supplier"].label = _("Supported by")
        self.fields["sourcing"].required = False
        self.fields["developer"].queryset = Supplier.objects.active().for_organisation(organisation)
        self.fields["owner"].queryset = members_of(organisation)
        self.fields["shared_with"].queryset = Organisation.objects.exclude(pk=organisation.pk)
        self.fields["shared_with"].help_text = _("Other partners that use the same product.")


    def clean_sourcing(self) -> str:
        """Left out, a system comes from a supplier (as before sourcing was recorded)."""
        return self.cleaned_data.get("sourcing") or self.instance.sourcing or System.Sourcing.SUPPLIER


class ContractForm(GovtrackModelForm):
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


class OwnerCommentForm(GovtrackModelForm):
    class Meta:
        model = OwnerComment
        fields = ["written_on", "text"]
        widgets = {"written_on": forms.DateInput(), "text": forms.Textarea(attrs={"rows": 4})}

    context_kwargs = ("system",)

    def configure(self, *, system: System) -> None:
        self.instance.system = system
        self.instance.author = self.user


class IntegrationForm(GovtrackModelForm):
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


class SupplierForm(GovtrackModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    context_kwargs = ("organisation",)

    def configure(self, *, organisation: Organisation) -> None:
        self.instance.organisation = organisation


class SupplierMergeForm(GovukForm):
    """Choose the supplier a duplicate becomes: the one whose name the records keep."""

    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Supplier.objects.none(), empty_label=None,
                                  help_text=_("Every system and contract of this supplier moves to the one you "
                                              "choose, and this one is archived."))

    def __init__(self, *args, source: Supplier, **kwargs):
        super().__init__(*args, **kwargs)
        others = Supplier.objects.active().for_organisation(source.organisation).exclude(pk=source.pk)
        self.fields["into"].queryset = others.order_by("name")
        match = others.matching(source.name)
        if match is not None:
            self.initial.setdefault("into", match.pk)


class CatalogueSettingsForm(GovtrackModelForm):
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
        # One group of checkboxes per lifecycle, hosting and sourcing: the required fields that do not apply.
        for condition, label in applicability_conditions():
            name = self.condition_field(condition)
            self.fields[name] = forms.MultipleChoiceField(
                label=_("Not required for: %(condition)s") % {"condition": label},
                choices=list(REQUIRED_FIELD_LABELS.items()), widget=GovukCheckboxes(), required=False,
            )
            self.initial.setdefault(name, self.instance.fields_not_required(condition))

    @staticmethod
    def condition_field(condition: str) -> str:
        return "not_required_" + condition.replace(":", "_")

    def clean(self):
        cleaned = super().clean()
        self.instance.not_required = {
            condition: names
            for condition, _label in applicability_conditions()
            if (names := list(cleaned.get(self.condition_field(condition)) or []))
        }
        return cleaned


class RenewalWindowForm(GovukForm):
    months = forms.TypedChoiceField(
        label=_("Ending within"),
        choices=[(6, _("6 months")), (12, _("12 months"))],
        coerce=int,
        required=False,
    )
