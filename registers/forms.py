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


class MatrixForm(GovtrackModelForm):
    """A manager's matrix: descriptors (one per line, English and Welsh), each band, each category's appetite.

    The bands and categories are fields of this one form (one row each, and one empty row to add), so the
    whole matrix is saved or refused together by ``registers.services.update_matrix``."""

    DESCRIPTORS = ("likelihood_descriptors", "impact_descriptors", "likelihood_descriptors_cy", "impact_descriptors_cy")
    BAND_FIELDS = ("name", "name_cy", "min_score", "colour", "review_days")

    class Meta:
        model = RiskMatrix
        fields = ["name"]

    def configure(self) -> None:
        for name in self.DESCRIPTORS:
            self.fields[name] = forms.CharField(
                label=RiskMatrix._meta.get_field(name).verbose_name.capitalize(), required=False,
                widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One per line, from level 1 up."),
                initial="\n".join(getattr(self.instance, name) or []))
        self.bands = list(self.instance.bands.order_by("min_score")) if self.instance.pk else []
        for index, band in enumerate([*self.bands, None]):
            self._band_fields(index, band)
        self.categories = list(self.instance.categories.order_by("name")) if self.instance.pk else []
        for category in self.categories:
            self.fields[f"appetite_{category.pk}"] = forms.IntegerField(
                label=_("Appetite: %(category)s") % {"category": category.name}, min_value=1,
                initial=category.appetite, help_text=_("The highest acceptable current score."))
        self.fields["new_category"] = forms.CharField(label=_("New category"), required=False, max_length=100)
        self.fields["new_category_appetite"] = forms.IntegerField(label=_("Its appetite"), required=False,
                                                                  min_value=1)

    def _band_fields(self, index: int, band) -> None:
        title = band.name if band else _("a new band")
        labels = {"name": _("Band %(n)s: name") % {"n": index + 1}, "name_cy": _("Name in Welsh"),
                  "min_score": _("Lowest score"), "colour": _("Colour (#rrggbb)"),
                  "review_days": _("Review every (days)")}
        for name in self.BAND_FIELDS:
            numeric = name in ("min_score", "review_days")
            field = forms.IntegerField(min_value=1, max_value=3660) if numeric else forms.CharField(max_length=60)
            field.required = band is not None and name != "name_cy"
            field.label = labels[name]
            field.initial = getattr(band, name) if band else None
            if name == "name":
                field.help_text = _("Leave every field of %(band)s empty to remove it.") % {"band": title} if band \
                    else _("Fill in to add a band.")
                field.required = False
            self.fields[f"band_{index}_{name}"] = field

    def clean(self):
        cleaned = super().clean()
        for name in self.DESCRIPTORS:
            setattr(self.instance, name, [line.strip() for line in (cleaned.get(name) or "").splitlines()
                                          if line.strip()])
        self.band_values = []
        for index, band in enumerate([*self.bands, None]):
            values = {name: cleaned.get(f"band_{index}_{name}") for name in self.BAND_FIELDS}
            if not values["name"]:
                continue
            if values["min_score"] is None or not values["colour"] or values["review_days"] is None:
                self.add_error(f"band_{index}_name", _("Give the band's lowest score, colour and review interval."))
                continue
            values["name_cy"] = values["name_cy"] or ""
            self.band_values.append({**values, "pk": band.pk if band else None})
        self.category_values = [{"pk": c.pk, "appetite": cleaned.get(f"appetite_{c.pk}")} for c in self.categories
                                if cleaned.get(f"appetite_{c.pk}")]
        if cleaned.get("new_category"):
            if not cleaned.get("new_category_appetite"):
                self.add_error("new_category_appetite", _("Give the new category's appetite."))
            else:
                self.category_values.append({"name": cleaned["new_category"],
                                             "appetite": cleaned["new_category_appetite"]})
        return cleaned
