"""Forms of sources, proposals and actions; the rules live in the models and ``proposals.services``."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack.forms import GovtrackForm, GovtrackModelForm
from govtrack.people import members_of
from proposals import rag
from proposals.models import Action, Evidence, Proposal, Source
from registers.models import Risk
from slas.models import Agreement
from systems_catalogue.models import System


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class SourceForm(GovtrackModelForm):
    share = forms.BooleanField(
        label=_("Share with the partnership"), required=False,
        help_text=_("Partners then see this source, its proposals and actions (for business plans and roadmaps)."),
    )

    class Meta:
        model = Source
        fields = ["kind", "title", "issuer", "reference", "issued_on", "summary", "url", "file"]
        widgets = {"issued_on": forms.DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    context_kwargs = ("organisation",)

    def configure(self, *, organisation) -> None:
        self.organisation = organisation
        if not self.instance.pk:
            self.instance.organisation = organisation
        self.fields["share"].initial = self.instance.partnership_id is not None

    def clean(self):
        data = super().clean()
        from proposals.services import partnership_for

        if data.get("share"):
            partnership = partnership_for(self.organisation)
            if partnership is None:
                self.add_error("share", _("This organisation belongs to no partnership to share with."))
            self.instance.partnership = partnership
        elif "share" in data:
            self.instance.partnership = None
        return data


class ProposalForm(GovtrackModelForm):
    class Meta:
        model = Proposal
        fields = ["code", "title", "text", "priority", "theme", "response", "response_text", "owner", "position",
                  "follows_up", "risks", "systems", "agreements"]
        field_classes = {"owner": PersonChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 5}), "response_text": forms.Textarea(attrs={"rows": 5}),
                   "follows_up": forms.SelectMultiple(attrs={"size": 6}),
                   "risks": forms.SelectMultiple(attrs={"size": 6}),
                   "systems": forms.SelectMultiple(attrs={"size": 6}),
                   "agreements": forms.SelectMultiple(attrs={"size": 4})}

    context_kwargs = ("source",)

    def configure(self, *, source: Source) -> None:
        self.source = source
        if not self.instance.pk:
            self.instance.source = source
        org_ids = self.instance.link_organisation_ids() or set()
        self.fields["owner"].queryset = members_of(org_ids)
        earlier = Proposal.objects.active().filter(source__issued_on__lt=source.issued_on).select_related("source")
        self.fields["follows_up"].queryset = earlier
        self.fields["follows_up"].label_from_instance = lambda p: f"{p.source.title}: {p}"
        self.fields["risks"].queryset = Risk.objects.active().filter(organisation__in=org_ids)
        self.fields["systems"].queryset = System.objects.active().filter(organisation__in=org_ids)
        self.fields["agreements"].queryset = Agreement.objects.active().filter(
            Q(provider__in=org_ids) | Q(client__in=org_ids))


class ActionForm(GovtrackModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_on", "metric", "unit", "baseline", "target", "actual"]
        field_classes = {"owner": PersonChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": forms.DateInput()}

    context_kwargs = ("proposal",)

    def configure(self, *, proposal: Proposal) -> None:
        self.proposal = proposal
        if not self.instance.pk:
            self.instance.proposal = proposal
        else:
            # Once set, a due date moves only by a revision with its reason.
            del self.fields["due_on"]
        self.fields["owner"].queryset = members_of(self.instance.link_organisation_ids() or set())


class UpdateForm(GovtrackForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    forecast = forms.ChoiceField(label=_("Will it finish on time?"), choices=rag.Forecast.choices,
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("What has been done since the last update"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    actual = forms.DecimalField(label=_("Actual (for a measurable target)"), required=False, max_digits=14,
                                decimal_places=2)
    for_meeting_on = forms.DateField(label=_("For the meeting on"), required=False, widget=forms.DateInput())


class RequestUpdatesForm(GovtrackForm):
    meeting_on = forms.DateField(label=_("The meeting's date"), widget=forms.DateInput(),
                                 help_text=_("Each open action's owner is asked for an update for this meeting."))

    def clean_meeting_on(self):
        meeting_on = self.cleaned_data["meeting_on"]
        if meeting_on < timezone.localdate():
            raise forms.ValidationError(_("Give the date of a meeting still to come."))
        return meeting_on


class ReviseForm(GovtrackForm):
    new_due_on = forms.DateField(label=_("New due date"), widget=forms.DateInput())
    reason = forms.CharField(label=_("Why the date moves"), widget=forms.Textarea(attrs={"rows": 3}))


class SignOffForm(GovtrackForm):
    on = forms.DateField(label=_("Signed off on"), widget=forms.DateInput())

    def configure(self, **context) -> None:
        self.fields["on"].initial = timezone.localdate()


class CloseForm(GovtrackForm):
    on = forms.DateField(label=_("Closed on"), widget=forms.DateInput())
    superseded = forms.BooleanField(label=_("Superseded by a later proposal (its open actions stay open)"),
                                    required=False)
    note = forms.CharField(label=_("Reason, or the committee's decision"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def configure(self, **context) -> None:
        self.fields["on"].initial = timezone.localdate()


class ReasonForm(GovtrackForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(GovtrackModelForm):
    class Meta:
        model = Evidence
        fields = ["title", "file", "url"]

    context_kwargs = ("action", "by")

    def configure(self, *, action: Action, by) -> None:
        self.instance.action = action
        if not self.instance.pk:
            self.instance.added_by = by
