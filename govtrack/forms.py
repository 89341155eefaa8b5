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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "govuk-input")
            if name in self.errors:
                css += {
                    "govuk-input": " govuk-input--error",
                    "govuk-select": " govuk-select--error",
                    "govuk-textarea": " govuk-textarea--error",
                }.get(css, "")
                widget.attrs["aria-invalid"] = "true"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                css += " govuk-input--width-10"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"


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
