from django import forms
from django.utils.translation import gettext_lazy as _

from govtrack import events
from govtrack.forms import GovtrackModelForm
from webhooks.models import Endpoint


class EndpointForm(GovtrackModelForm):
    context_kwargs = ("organisation",)

    events = forms.MultipleChoiceField(
        label=_("Events to send"), widget=forms.CheckboxSelectMultiple,
        choices=list(events.EVENTS.items()),
        help_text=_("Each event is sent to this address as it happens, signed with the endpoint's secret."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events"]

    def configure(self, *, organisation) -> None:
        if self.instance.pk is None:
            self.instance.organisation = organisation
            self.instance.created_by = self.user
