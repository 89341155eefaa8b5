"""A person's own settings: their language, which notices they get by email, their calendar feed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govtrack.forms import GovukForm
from govtrack.models import PersonSettings
from govtrack.notifications import KINDS, kind_label


class PersonSettingsForm(GovukForm):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        help_text=gettext_lazy("Leave empty to follow your browser."),
    )
    emailed = forms.MultipleChoiceField(
        label=gettext_lazy("Notices in your daily email"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Every notice still shows under Notifications; these choose what is also emailed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As my browser"))] + [(c, str(n)) for c, n in settings.LANGUAGES]
        self.fields["emailed"].choices = [(kind, str(label)) for kind, label in KINDS.items()]


def calendar_url(request, secret: str) -> str:
    """The feed's full address (the calendar lives in reporting; the kernel only names its URL)."""
    try:
        return request.build_absolute_uri(reverse("calendar", args=[secret]))
    except NoReverseMatch:  # a deployment without reporting has no feed to offer
        return ""


@login_required
def personal_settings(request):
    """Change one's language and emailed notices; see, create or revoke one's calendar feed."""
    person = PersonSettings.of(request.user)
    unsubscribe = request.GET.get("unsubscribe", "")
    emailed = [k for k in KINDS if person.emails(k) and k != unsubscribe]
    form = PersonSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"language": person.language, "emailed": emailed},
    )
    if request.method == "POST" and form.is_valid():
        person.language = form.cleaned_data["language"]
        person.unsubscribed = [k for k in KINDS if k not in form.cleaned_data["emailed"]]
        person.save(update_fields=["language", "unsubscribed", "updated_at"])
        messages.success(request, _("Your settings were saved."))
        return redirect("personal_settings")
    context = {
        "form": form,
        "person": person,
        "unsubscribe": kind_label(unsubscribe) if unsubscribe in KINDS else "",
        "new_calendar_url": request.session.pop("new_calendar_url", ""),
    }
    return render(request, "govtrack/personal_settings.html", context)


@login_required
@require_POST
def calendar_new(request):
    """A new secret address for the person's calendar; any earlier address stops working."""
    secret = PersonSettings.of(request.user).new_calendar_secret()
    # Shown once, on the next page only; govtrack keeps just its hash.
    request.session["new_calendar_url"] = calendar_url(request, secret)
    messages.success(request, _("Your calendar feed has a new address. Any earlier address no longer works."))
    return redirect("personal_settings")


@login_required
@require_POST
def calendar_revoke(request):
    PersonSettings.of(request.user).revoke_calendar()
    messages.success(request, _("Your calendar feed was turned off. Its address no longer works."))
    return redirect("personal_settings")
