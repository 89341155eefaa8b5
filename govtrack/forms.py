"""Forms of the kernel, and the mixin that gives every govtrack form GOV.UK markup."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govtrack.models import Membership

_WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
}


class GovukFormMixin:
    """Renders fields as GOV.UK form groups, with the error message beside the field and a summary on top."""

    template_name = "govtrack/forms/govuk.html"

    _ERROR_CLASSES = {
        "govuk-input": "govuk-input--error",
        "govuk-select": "govuk-select--error",
        "govuk-textarea": "govuk-textarea--error",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Style without validating: subclasses may still set choices or the record's organisation
        # after this, and validation must see those.
        self._style_fields()

    def _style_fields(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "govuk-input")
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                css += " govuk-input--width-10"
            classes = widget.attrs.get("class", "").split()
            widget.attrs["class"] = " ".join(dict.fromkeys(classes + css.split()))
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def get_context(self):
        """At render time, once the form has been validated, mark the fields in error."""
        self._style_fields()
        if self.is_bound:
            for name in self.errors:
                if name not in self.fields:
                    continue
                widget = self.fields[name].widget
                base = next((c for c in self._ERROR_CLASSES if c in widget.attrs.get("class", "")), None)
                if base:
                    widget.attrs["class"] += " " + self._ERROR_CLASSES[base]
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}-error"
        return super().get_context()


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """A ModelForm: ``full_clean`` runs the model's ``clean()``, so the API and the page agree."""


class InviteForm(GovukForm):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        help_text=_(
            "Viewers read; officers edit what they own; managers manage the organisation's data; "
            "auditors read everything and record findings; administrators also manage people."
        ),
    )


class MembershipForm(GovukForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Membership.Status.choices)


class ServiceAccountForm(GovukForm):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example: Newport performance feed."))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Membership.Role.VIEWER, _("Viewer")), (Membership.Role.OFFICER, _("Officer"))],
        help_text=_("An officer account can submit monthly performance figures."),
    )
