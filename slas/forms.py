"""Forms of the SLAs; validation lives in the models' ``clean()`` and the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from govtrack.forms import GovtrackForm, GovtrackModelForm
from govtrack.models import Organisation
from govtrack.people import members_of
from registers.models import Register, Risk
from slas.models import Agreement, ServiceLine


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class AgreementForm(GovtrackModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "reference", "provider", "client", "memorandum", "effective_from", "effective_to",
                  "review_on", "annual_charge", "users", "devices", "owner", "escalate_after", "risk_register",
                  "risks", "summary", "summary_cy"]
        field_classes = {"owner": PersonChoiceField}
        widgets = {"effective_from": forms.DateInput(), "effective_to": forms.DateInput(),
                   "review_on": forms.DateInput(), "summary": forms.Textarea(attrs={"rows": 5}),
                   "summary_cy": forms.Textarea(attrs={"rows": 5, "lang": "cy"}),
                   "risks": forms.SelectMultiple(attrs={"size": 6})}

    context_kwargs = ("organisation",)

    def configure(self, *, organisation) -> None:
        self.organisation = organisation
        if self.instance.pk:
            # The parties never change: a record stays with the organisations it was made between.
            del self.fields["provider"], self.fields["client"]
            if not self.instance.is_editable:
                # Agreed: its terms are fixed; who owns it, its risks and its plain-language text are not.
                for name in Agreement.TERMS:
                    self.fields.pop(name, None)
            party_ids = [self.instance.client_id, self.instance.provider_id]
        else:
            self.fields["client"].initial = organisation.pk
            for name in ("provider", "client"):
                self.fields[name].queryset = Organisation.objects.active()
            party_ids = [organisation.pk]
        self.fields["owner"].queryset = members_of(party_ids)
        self.fields["risk_register"].queryset = Register.objects.active().filter(organisation_id__in=party_ids)
        self.fields["risks"].queryset = Risk.objects.active().filter(organisation_id__in=party_ids)

    def save(self, commit: bool = True):
        if not self.instance.pk and self.instance.created_by_id is None and self.user is not None:
            self.instance.created_by = self.user
        return super().save(commit=commit)


class ServiceLineForm(GovtrackModelForm):
    class Meta:
        model = ServiceLine
        fields = ["service", "service_cy", "metric", "metric_cy", "reference", "unit", "target", "direction",
                  "period", "charge", "position"]
        widgets = {"service_cy": forms.TextInput(attrs={"lang": "cy"}),
                   "metric_cy": forms.TextInput(attrs={"lang": "cy"})}

    context_kwargs = ("agreement",)

    def configure(self, *, agreement) -> None:
        self.agreement = agreement
        if not self.instance.pk:
            self.instance.agreement = agreement
        self.fields["direction"].required = True


class MeasurementGridForm(GovtrackForm):
    """One figure (and an optional note) per service line of an agreement, for one period."""

    context_kwargs = ("lines", "existing")

    def configure(self, *, lines, existing) -> None:
        self.lines = lines
        for line in lines:
            current = existing.get(line.pk)
            self.fields[f"actual_{line.pk}"] = forms.DecimalField(
                label=_("%(line)s (%(unit)s), target %(target)s") % {"line": line, "unit": line.unit,
                                                                       "target": line.target},
                required=False, max_digits=12, decimal_places=3, min_value=Decimal("-999999999"),
                initial=current.actual if current else None,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5",
                                              "autocomplete": "off", "spellcheck": "false"}))
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=_("Note on %(line)s") % {"line": line}, required=False, max_length=2000,
                initial=current.note if current else "")

    def rows(self) -> list[dict]:
        return [{"service_line": line.pk, "actual": self.cleaned_data.get(f"actual_{line.pk}"),
                 "note": self.cleaned_data.get(f"note_{line.pk}") or ""} for line in self.lines]

    def cells(self):
        """(line, figure field, note field) for each row of the grid."""
        return [(line, self[f"actual_{line.pk}"], self[f"note_{line.pk}"]) for line in self.lines]


class ShareForm(GovtrackForm):
    share = forms.BooleanField(label=_("Let every member of the partnership read this agreement's details"),
                               required=False)
