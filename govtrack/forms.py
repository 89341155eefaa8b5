"""Forms of the kernel, and the one way every govtrack form is set up.

``GovtrackForm`` / ``GovtrackModelForm``: the view passes ``user=`` and the form's context
(``context_kwargs``: the organisation, the parent record); ``configure()`` runs once the fields
exist, to set choices and the record's organisation or parent; then every model choice field is
limited to what the person may link (``govtrack.access.linkable``). Validation runs later
(``is_valid()`` or rendering), so it always sees what ``configure()`` set, and a model form runs
the model's ``full_clean()`` (same-organisation invariants included), as the API does.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import access, bounds, dateinput
from govtrack.models import ApiToken, Membership

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
        dateinput.use_date_inputs(self)
        # Style without validating: subclasses may still set choices or the record's organisation
        # after this, and validation must see those.
        self._style_fields()

    def _style_fields(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "govuk-input")
            if isinstance(widget, dateinput.DateInput):
                continue
            if isinstance(widget, forms.RadioSelect):  # radios, and checkboxes for several choices
                widget.template_name = "govtrack/forms/choices.html"
                continue
            classes = widget.attrs.get("class", "").split()
            widget.attrs["class"] = " ".join(dict.fromkeys(classes + css.split()))
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def _clean_fields(self) -> None:
        super()._clean_fields()
        # Every text any form takes is bounded: no control characters, no unbounded lengths.
        for name, value in list(self.cleaned_data.items()):
            field = self.fields.get(name)
            if isinstance(value, str) and isinstance(field, forms.CharField):
                problem = bounds.text_problem(value, limit=field.max_length or bounds.LONG_TEXT_LIMIT)
                if problem:
                    self.add_error(name, problem)

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
    """A plain GOV.UK form (filters, reasons) with no records to choose from."""


class SinceForm(GovukForm):
    """"Movement since": a date in GOV.UK date inputs, defaulting to one the page chooses."""

    since = forms.DateField(label=_("Movement since"), help_text=_("Usually the date of the last board meeting."),
                            required=False)

    @classmethod
    def for_request(cls, request, default: date) -> tuple[SinceForm, date]:
        """The form (bound when the page was asked for a date) and the date to use: the one asked for
        when it is a real date, the default otherwise (the form then says what is wrong)."""
        asked = any(key == "since" or key.startswith("since_") for key in request.GET)
        form = cls(request.GET if asked else None, initial={"since": default})
        since = form.cleaned_data.get("since") if asked and form.is_valid() else None
        return form, since or default


class GovtrackFormMixin(GovukFormMixin):
    #: Keyword arguments the form takes for ``configure()`` (e.g. ``("organisation",)``).
    context_kwargs: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        context = {name: kwargs.pop(name) for name in self.context_kwargs if name in kwargs}
        missing = sorted(set(self.context_kwargs) - set(context))
        if missing:
            raise TypeError(f"{type(self).__name__} needs {', '.join(missing)}.")
        super().__init__(*args, **kwargs)
        self.user = user
        self.configure(**context)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = access.linkable(user, field.queryset)

    def configure(self, **context) -> None:
        """Set choices, initial values and the record's organisation or parent; subclasses override."""


class GovtrackForm(GovtrackFormMixin, forms.Form):
    pass


class GovtrackModelForm(GovtrackFormMixin, forms.ModelForm):
    """A ModelForm: ``full_clean`` runs the model's ``clean()``, so the API and the page agree."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk is not None and hasattr(self.instance, "version"):
            # The version the editor opened; a save from an older one is refused (govtrack.locking).
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                        initial=self.instance.version)
        self.stale = None

    def _post_clean(self) -> None:
        super()._post_clean()
        instance = self.instance
        if not hasattr(instance, "link_errors"):
            return
        many = {f.name for f in instance._meta.many_to_many}
        values = {name: self.cleaned_data[name] for name in many if name in self.cleaned_data}
        if values:
            for name, message in instance.link_errors(values, fields=list(values)).items():
                self.add_error(name if name in self.fields else None, message)


def add_errors(form, exc: ValidationError) -> None:
    """Show a model's or a service's ValidationError on the form: beside its field, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


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


class TokenForm(GovukForm):
    """A service account's token: what it is for, what it may do and until when."""

    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("For example: monthly figures upload."))
    scope = forms.ChoiceField(
        label=_("What the token may do"),
        choices=ApiToken.Permission.choices,
        initial=ApiToken.Permission.READ,
        help_text=_("A read-only token is refused on any change, whatever the account's role."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(),
        help_text=_("Leave empty for a token that lasts until it is revoked."),
    )

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, local time."""
        day = self.cleaned_data.get("expires_on")
        return timezone.make_aware(datetime.combine(day, time.max)) if day else None


class ServiceAccountTokenForm(ServiceAccountForm):
    scope = TokenForm.base_fields["scope"]
    expires_on = TokenForm.base_fields["expires_on"]
    expires_at = TokenForm.expires_at


class CodeForm(GovukForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )


class SetupCodeForm(GovukForm):
    code = forms.CharField(
        label=_("Code from your app"),
        max_length=10,
        help_text=_("Once the app has added govtrack, type the 6-digit code it shows."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )
