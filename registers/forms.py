"""Forms of the risk registers; validation lives in the models' ``clean()``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack.forms import GovukForm, GovukFormMixin
from govtrack.models import Directorate, Membership
from registers.models import Register, Risk, RiskAction, RiskCategory, RiskMatrix
from systems_catalogue.models import System


def people_of(organisation):
    return (
        get_user_model().objects.filter(memberships__organisation=organisation, is_active=True)
        .exclude(memberships__status=Membership.Status.SUSPENDED).distinct().order_by("last_name", "first_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


def scale_choices(matrix: RiskMatrix, axis: str, *, blank: bool = False) -> list[tuple[str, str]]:
    levels = matrix.likelihood_levels if axis == "likelihood" else matrix.impact_levels
    choices = [(str(n), f"{n} – {matrix.descriptor(axis, n)}") for n in range(1, levels + 1)]
    return ([("", "—")] if blank else []) + choices


class PrepareFirst:
    """Runs ``prepare()`` once the fields exist, to set choices, querysets and the record's organisation.

    Validation happens later (``is_valid()`` or rendering), so it always sees what ``prepare()`` set.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepare()

    def prepare(self) -> None:
        pass


class PreparedModelForm(GovukFormMixin, PrepareFirst, forms.ModelForm):
    pass


class PreparedForm(GovukFormMixin, PrepareFirst, forms.Form):
    pass


class RegisterForm(PreparedModelForm):
    class Meta:
        model = Register
        fields = ["name", "slug", "level", "directorate", "parent", "owner", "escalation_threshold", "status",
                  "description"]
        field_classes = {"owner": PersonChoiceField}
        help_texts = {"slug": _("A short name for links and commands, e.g. social-care-and-health.")}

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        organisation = self.instance.organisation = self.organisation
        self.fields["directorate"].queryset = Directorate.objects.active().for_organisation(organisation)
        parents = Register.objects.active().for_organisation(organisation).exclude(level=Register.Level.PROJECT)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["owner"].queryset = people_of(organisation)


class RiskForm(PreparedModelForm):
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

    def __init__(self, *args, register: Register, matrix: RiskMatrix, **kwargs):
        self.register, self.matrix = register, matrix
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        register, matrix = self.register, self.matrix
        organisation = register.organisation
        if not self.instance.pk:
            self.instance.register = register
            self.instance.organisation = organisation
        self.fields["category"].queryset = RiskCategory.objects.filter(matrix=matrix)
        self.fields["officer_owner"].queryset = people_of(organisation)
        self.fields["systems"].queryset = System.objects.active().for_organisation(organisation)
        for name in self.SCORE_FIELDS:
            optional = name.startswith("target")
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label, coerce=int, empty_value=None, required=not optional,
                choices=scale_choices(matrix, name.split("_")[1], blank=optional),
            )


class ReviewForm(PreparedForm):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=forms.DateInput())
    current_likelihood = forms.TypedChoiceField(label=_("Current likelihood"), coerce=int)
    current_impact = forms.TypedChoiceField(label=_("Current impact"), coerce=int)
    target_likelihood = forms.TypedChoiceField(label=_("Target likelihood"), coerce=int, required=False,
                                               empty_value=None)
    target_impact = forms.TypedChoiceField(label=_("Target impact"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, matrix: RiskMatrix, **kwargs):
        self.matrix = matrix
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        self.fields["reviewed_on"].initial = timezone.localdate()
        for name in ("current_likelihood", "current_impact", "target_likelihood", "target_impact"):
            self.fields[name].choices = scale_choices(self.matrix, name.split("_")[1],
                                                      blank=name.startswith("target"))


class ActionForm(PreparedModelForm):
    class Meta:
        model = RiskAction
        fields = ["description", "owner", "owner_name", "due_on", "status"]
        field_classes = {"owner": PersonChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": forms.DateInput()}

    def __init__(self, *args, risk: Risk, **kwargs):
        self.risk = risk
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        self.instance.risk = self.risk
        self.fields["owner"].queryset = people_of(self.risk.organisation)


class ReasonForm(GovukForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(GovukForm):
    reason = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
