"""Forms of the risk registers; validation lives in the models' ``clean()``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack.forms import GovtrackForm, GovtrackModelForm
from govtrack.models import Directorate
from govtrack.people import members_of
from registers.models import Register, Risk, RiskAction, RiskCategory, RiskMatrix
from systems_catalogue.models import System


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


def scale_choices(matrix: RiskMatrix, axis: str, *, blank: bool = False) -> list[tuple[str, str]]:
    levels = matrix.likelihood_levels if axis == "likelihood" else matrix.impact_levels
    choices = [(str(n), f"{n} – {matrix.descriptor(axis, n)}") for n in range(1, levels + 1)]
    return ([("", "—")] if blank else []) + choices


class RegisterForm(GovtrackModelForm):
    class Meta:
        model = Register
        fields = ["name", "name_cy", "slug", "level", "directorate", "parent", "owner", "escalation_threshold",
                  "status",
                  "description"]
        field_classes = {"owner": PersonChoiceField}
        help_texts = {"slug": _("A short name for links and commands, e.g. social-care-and-health.")}

    context_kwargs = ("organisation",)

    def configure(self, *, organisation) -> None:
        self.organisation = organisation
        if not self.instance.pk:
            self.instance.organisation = organisation
        self.fields["directorate"].queryset = Directorate.objects.active().for_organisation(organisation)
        parents = Register.objects.active().for_organisation(organisation).exclude(level=Register.Level.PROJECT)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["owner"].queryset = members_of(organisation)


class RiskForm(GovtrackModelForm):
    SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "current_likelihood", "current_impact",
                    "target_likelihood", "target_impact")

    class Meta:
        model = Risk
        fields = ["reference", "title", "cause", "event", "effect", "category", "officer_owner", "owner_name",
                  "member_owner", "inherent_likelihood", "inherent_impact", "current_likelihood", "current_impact",
                  "target_likelihood", "target_impact", "existing_controls", "progress", "review_date", "status",
                  "systems"]
        field_classes = {"officer_owner": PersonChoiceField}
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("cause", "event", "effect")} | {
            "existing_controls": forms.Textarea(attrs={"rows": 5}),
            "progress": forms.Textarea(attrs={"rows": 5}),
            "review_date": forms.DateInput(),
            "systems": forms.SelectMultiple(attrs={"size": 6}),
        }

    context_kwargs = ("register", "matrix")

    def configure(self, *, register: Register, matrix: RiskMatrix) -> None:
        self.register, self.matrix = register, matrix
        organisation = register.organisation
        if not self.instance.pk:
            self.instance.register = register
            self.instance.organisation = organisation
        self.fields["category"].queryset = RiskCategory.objects.filter(matrix=matrix)
        self.fields["officer_owner"].queryset = members_of(organisation)
        self.fields["systems"].queryset = System.objects.active().for_organisation(organisation)
        for name in self.SCORE_FIELDS:
            optional = name.startswith("target")
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label, coerce=int, empty_value=None, required=not optional,
                choices=scale_choices(matrix, name.split("_")[1], blank=optional),
            )


class ReviewForm(GovtrackForm):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=forms.DateInput())
    current_likelihood = forms.TypedChoiceField(label=_("Current likelihood"), coerce=int)
    current_impact = forms.TypedChoiceField(label=_("Current impact"), coerce=int)
    target_likelihood = forms.TypedChoiceField(label=_("Target likelihood"), coerce=int, required=False,
                                               empty_value=None)
    target_impact = forms.TypedChoiceField(label=_("Target impact"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    context_kwargs = ("matrix",)

    def configure(self, *, matrix: RiskMatrix) -> None:
        self.matrix = matrix
        self.fields["reviewed_on"].initial = timezone.localdate()
        for name in ("current_likelihood", "current_impact", "target_likelihood", "target_impact"):
            self.fields[name].choices = scale_choices(self.matrix, name.split("_")[1],
                                                      blank=name.startswith("target"))


class ActionForm(GovtrackModelForm):
    class Meta:
        model = RiskAction
        fields = ["description", "owner", "owner_name", "due_on", "status"]
        field_classes = {"owner": PersonChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": forms.DateInput()}

    context_kwargs = ("risk",)

    def configure(self, *, risk: Risk) -> None:
        self.risk = risk
        self.instance.risk = risk
        self.fields["owner"].queryset = members_of(risk.organisation)


class ReasonForm(GovtrackForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(GovtrackForm):
    reason = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
