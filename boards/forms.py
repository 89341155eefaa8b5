"""Forms of boards, members, interests, meetings and decisions; validation lives in the models' ``clean()``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boards.models import AgendaItem, Board, BoardMember, Decision, DeclaredInterest, Meeting, Paper
from govtrack.forms import GovtrackForm, GovtrackModelForm
from govtrack.models import Organisation, Partnership, partner_organisation_ids
from govtrack.people import members_of
from proposals.models import Action, Proposal, Source
from systems_catalogue.models import Supplier


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


def _partnerships_of(organisation: Organisation) -> list[Partnership]:
    """Partnerships the organisation belongs to today, or provides."""
    from govtrack.models import PartnershipMembership

    current = PartnershipMembership.objects.current().filter(organisation=organisation).values("partnership_id")
    return list(Partnership.objects.filter(archived_at__isnull=True).filter(
        Q(pk__in=current) | Q(provider=organisation)).order_by("name"))


class BoardForm(GovtrackModelForm):
    """A board of the organisation, one it shares with a partnership to read, or one of the partnership itself."""

    OWN, SHARED, JOINT = "own", "shared", "joint"

    belongs = forms.ChoiceField(label=_("Whose board is it?"), required=False,
                                help_text=_("Left empty, a new board is the organisation's own and a board "
                                            "being edited stays as it is."))

    class Meta:
        model = Board
        fields = ["name", "slug", "kind", "purpose", "secretary", "review_interval_days",
                  "membership_review_due_on", "moderngov_site", "moderngov_committee_id"]
        field_classes = {"secretary": PersonChoiceField}
        widgets = {"membership_review_due_on": forms.DateInput(), "purpose": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"slug": _("A short name for links, e.g. digital-board.")}

    context_kwargs = ("organisation",)

    def configure(self, *, organisation: Organisation | None) -> None:
        """``organisation`` is None when editing a board of a partnership."""
        self.organisation = organisation
        self.partnerships = {str(p.pk): p for p in _partnerships_of(organisation)} if organisation else {}
        if self.instance.partnership_id and str(self.instance.partnership_id) not in self.partnerships:
            self.partnerships[str(self.instance.partnership_id)] = self.instance.partnership
        choices = [(self.OWN, _("%(org)s's, seen by its people only") % {"org": organisation})] if organisation else []
        for pk, partnership in self.partnerships.items():
            if organisation:
                choices.append((f"{self.SHARED}:{pk}", _("%(org)s's, shared with %(p)s to read") % {
                    "org": organisation, "p": partnership}))
            choices.append((f"{self.JOINT}:{pk}", _("%(p)s's: a board of the partnership") % {"p": partnership}))
        self.fields["belongs"].choices = choices
        if self.instance.pk:
            self.fields["belongs"].initial = (
                self.OWN if not self.instance.partnership_id else
                f"{self.SHARED if self.instance.organisation_id else self.JOINT}:{self.instance.partnership_id}")
        else:
            self.instance.organisation = organisation
            self.fields["belongs"].initial = self.OWN
        orgs = ({organisation.pk} if organisation else set()) | self.instance.link_organisation_ids()
        self.fields["secretary"].queryset = members_of(partner_organisation_ids(orgs))

    def clean_belongs(self) -> str:
        value = self.cleaned_data["belongs"] or self.fields["belongs"].initial
        if not value:
            raise ValidationError(_("Say whose board it is."))
        kind, _sep, pk = value.partition(":")
        if self.instance.pk and (kind == self.JOINT) != (self.instance.organisation_id is None):
            raise ValidationError(_("A board stays the organisation's or the partnership's, as it was created."))
        self.instance.partnership = self.partnerships.get(pk) if kind in (self.SHARED, self.JOINT) else None
        if not self.instance.pk:
            self.instance.organisation = None if kind == self.JOINT else self.organisation
        return value


class MemberForm(GovtrackModelForm):
    class Meta:
        model = BoardMember
        fields = ["person", "name", "role", "title", "represents", "represents_name", "joined_on", "left_on"]
        field_classes = {"person": PersonChoiceField}
        widgets = {"joined_on": forms.DateInput(), "left_on": forms.DateInput()}

    context_kwargs = ("board",)

    def configure(self, *, board: Board) -> None:
        self.board = board
        if not self.instance.pk:
            self.instance.board = board
        partners = partner_organisation_ids(board.link_organisation_ids())
        self.fields["person"].queryset = members_of(partners)
        self.fields["represents"].queryset = Organisation.objects.filter(pk__in=partners)


class InterestForm(GovtrackModelForm):
    class Meta:
        model = DeclaredInterest
        fields = ["kind", "company", "supplier", "description", "declared_on", "ended_on"]
        widgets = {"declared_on": forms.DateInput(), "ended_on": forms.DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    context_kwargs = ("member",)

    def configure(self, *, member: BoardMember) -> None:
        self.member = member
        if not self.instance.pk:
            self.instance.member = member
        self.fields["supplier"].queryset = Supplier.objects.active().filter(
            organisation_id__in=member.board.link_organisation_ids()).select_related("organisation")


class ReviewForm(GovtrackForm):
    reviewed_on = forms.DateField(label=_("Reviewed on"), initial=timezone.localdate, widget=forms.DateInput())
    note = forms.CharField(label=_("What the review found"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("For example: members' interests checked against the catalogue's suppliers."))
    next_due_on = forms.DateField(label=_("Next review due"), required=False, widget=forms.DateInput(),
                                  help_text=_("Leave empty for the board's usual interval."))


class MeetingForm(GovtrackModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "held_on", "starts_at", "location", "status", "minutes", "minutes_approved_on",
                  "papers_url"]
        widgets = {"held_on": forms.DateInput(), "minutes_approved_on": forms.DateInput(),
                   "starts_at": forms.TimeInput(attrs={"type": "time"}), "minutes": forms.Textarea(attrs={"rows": 6})}

    context_kwargs = ("board",)

    def configure(self, *, board: Board) -> None:
        if not self.instance.pk:
            self.instance.board = board


class _MeetingChildForm(GovtrackModelForm):
    context_kwargs = ("meeting",)

    def configure(self, *, meeting: Meeting) -> None:
        self.meeting = meeting
        if not self.instance.pk:
            self.instance.meeting = meeting
        if "agenda_item" in self.fields:
            self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)


class AgendaItemForm(_MeetingChildForm):
    class Meta:
        model = AgendaItem
        fields = ["position", "number", "title", "text", "is_restricted", "is_procedural"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class PaperForm(_MeetingChildForm):
    class Meta:
        model = Paper
        fields = ["agenda_item", "title", "url"]


def _sources_of(organisation_ids: set[int]) -> Q:
    """Sources of the organisations, and those shared with (or owned by) a partnership they belong to or provide."""
    from govtrack.models import PartnershipMembership

    shared = PartnershipMembership.objects.current().filter(organisation_id__in=organisation_ids)
    return (Q(organisation_id__in=organisation_ids) | Q(partnership__in=shared.values("partnership_id"))
            | Q(partnership__provider_id__in=organisation_ids))


class DecisionForm(_MeetingChildForm):
    class Meta:
        model = Decision
        fields = ["agenda_item", "reference", "title", "text", "status", "owner", "proposals", "actions"]
        field_classes = {"owner": PersonChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "proposals": forms.SelectMultiple(attrs={"size": 6}),
                   "actions": forms.SelectMultiple(attrs={"size": 6})}

    def configure(self, *, meeting: Meeting) -> None:
        super().configure(meeting=meeting)
        org_ids = meeting.board.link_organisation_ids()
        self.fields["owner"].queryset = members_of(org_ids)
        # Only what the board's organisation(s) may link; the kernel narrows it further to what the person may see.
        proposals = Proposal.objects.active().filter(
            source__in=Source.objects.active().filter(_sources_of(org_ids)).values("pk"))
        self.fields["proposals"].queryset = proposals.select_related("source").order_by("source__title", "position",
                                                                                         "code")
        self.fields["proposals"].label_from_instance = lambda p: f"{p.source.title}: {p}"
        self.fields["actions"].queryset = (Action.objects.active().filter(proposal__in=proposals.values("pk"))
                                           .select_related("proposal").order_by("proposal__code", "due_on", "pk"))
        self.fields["actions"].label_from_instance = lambda a: f"{a.proposal.code}: {a.description[:100]}"

