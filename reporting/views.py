"""Pages that span the domain apps. Thin: parse, authorise through govtrack.access, call the rule, respond."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from boards.models import Board
from govtrack import access, pages
from govtrack import search as govtrack_search
from govtrack.forms import GovtrackForm, SinceForm, add_errors
from govtrack.middleware import current_organisation
from govtrack.models import Membership, Notification, Organisation, Partnership, PartnershipMembership, PersonSettings
from registers.filters import RiskFilterSet
from registers.models import Risk, RiskMatrix
from reporting import calendar, dashboard, packs, services, start
from reporting.models import BoardPack


@login_required
def governance_gaps(request, org: str):
    """The governance gaps of P5 for one organisation, each linking to what is missing."""
    organisation = pages.organisation_for(request, org)
    today = timezone.localdate()
    section = request.GET.get("section", "")
    if section in services.SECTIONS:
        # One gap in full, a page at a time.
        listing = pages.paginate(request, services.gap_querysets(organisation=organisation, today=today)[section],
                                 per_page=50)
        gaps = services.GovernanceGaps(**{section: list(listing["object_list"])},
                                       totals={section: listing["paginator"].count})
    else:
        listing, section = {}, ""
        gaps = services.governance_gaps(organisation=organisation, today=today)
    matrix = RiskMatrix.for_organisation(organisation)
    for risk in gaps.above_appetite_without_action:
        risk.band = matrix.band_for(risk.current_score)
    return render(request, "reporting/governance_gaps.html", {"organisation": organisation, "gaps": gaps,
                                                              "today": today, "section": section, **listing})


def _since(request, default):
    return SinceForm.for_request(request, default=default)


@login_required
def dashboard_home(request):
    """``/reporting/``: the dashboard of the organisation chosen in the header."""
    organisation = current_organisation(request)
    if organisation is None:
        raise Http404
    return HttpResponseRedirect(reverse("reporting:dashboard", args=[organisation.slug]))


@login_required
def organisation_dashboard(request, org: str):
    """An organisation's dashboard for its board: every figure links to the records behind it."""
    organisation = pages.organisation_for(request, org)
    today = timezone.localdate()
    form, since = _since(request, dashboard.default_since(today))
    board = dashboard.organisation_dashboard(organisation=organisation, today=today, since=since, user=request.user)
    return render(request, "reporting/dashboard.html", {
        "organisation": organisation, "form": form, "since": since, **dashboard.section_context(board),
    })


@login_required
def risk_list(request, org: str):
    """An organisation's risks across its registers, filtered as a dashboard figure links to them."""
    organisation = pages.organisation_for(request, org)
    base = Risk.objects.active().visible_to(request.user).for_organisation(organisation)
    data = request.GET.copy()
    data.setdefault("status", Risk.Status.OPEN)
    filterset = RiskFilterSet(data, queryset=base)
    if not filterset.is_valid():
        return render(request, "reporting/risk_list.html", {"organisation": organisation, "filter": filterset,
                                                            "object_list": []}, status=400)
    matrix = RiskMatrix.for_organisation(organisation)
    risks = filterset.qs.with_scores().select_related("register", "register__organisation", "officer_owner",
                                                      "category")
    listing = pages.paginate(request, risks.order_by("-current_score_db", "reference", "pk"), per_page=50)
    for risk in listing["object_list"]:
        risk.band = matrix.band_for(risk.current_score)
    return render(request, "reporting/risk_list.html", {"organisation": organisation, "filter": filterset,
                                                        "today": timezone.localdate(), **listing})


@login_required
def records(request, org: str, section: str):
    """Every record behind one dashboard figure, a page at a time."""
    if section not in dashboard.SECTIONS:
        raise Http404
    organisation = pages.organisation_for(request, org)
    today = timezone.localdate()
    form, since = _since(request, dashboard.default_since(today))
    queries = dashboard.section_querysets(organisation=organisation, today=today, since=since, user=request.user)
    listing = pages.paginate(request, queries[section], per_page=50)
    kind, title = dashboard.SECTIONS[section]
    return render(request, "reporting/records.html", {
        "organisation": organisation, "section": section, "kind": kind, "title": title, "since": since,
        "form": form, "today": today, **listing,
    })


@login_required
def partnership_dashboard(request, slug: str):
    """The partnership's dashboard: each partner's figures that this person may see, side by side."""
    # A partnership is seen by its members' people (and its provider's): 404 for anyone else.
    partnership = get_object_or_404(
        Partnership.objects.filter(archived_at__isnull=True, pk__in=_partnership_ids(request.user)), slug=slug)
    board = dashboard.partnership_dashboard(partnership=partnership, today=timezone.localdate(), user=request.user)
    return render(request, "reporting/partnership_dashboard.html", {"partnership": partnership, "board": board})


def _partnership_ids(user) -> list[int]:
    if user.is_superuser:
        return list(Partnership.objects.values_list("pk", flat=True))
    return access.visible_partnership_ids(user)


class PackForm(GovtrackForm):
    """What a pack is built for: the board and its meeting's date, the date changes are shown from, the language."""

    board = forms.ModelChoiceField(label=_lazy("Board"), queryset=Board.objects.none(), required=False,
                                   help_text=_lazy("Its members are told when the pack is issued."))
    title = forms.CharField(label=_lazy("Title"), max_length=300, required=False,
                            help_text=_lazy("For example: Digital Board, 14 March"))
    meeting_date = forms.DateField(label=_lazy("Meeting date"),
                                   help_text=_lazy("The pack shows the position on this date."))
    since = forms.DateField(label=_lazy("Show what changed since"), required=False,
                            help_text=_lazy("Left empty: the board's last meeting (or 90 days before)."))
    language = forms.ChoiceField(label=_lazy("Language"), choices=BoardPack.Language.choices)

    context_kwargs = ("organisation",)

    def configure(self, *, organisation: Organisation) -> None:
        """Boards of the organisation, and boards of the partnerships it belongs to today."""
        partnerships = PartnershipMembership.objects.current().filter(organisation=organisation)
        self.fields["board"].queryset = Board.objects.active().filter(
            Q(organisation=organisation)
            | Q(organisation__isnull=True, partnership__in=partnerships.values("partnership_id"))
            | Q(organisation__isnull=True, partnership__provider=organisation)
        ).order_by("name", "pk")


def _pack_initial(request, organisation: Organisation, form_class=PackForm) -> dict:
    """The form's starting values: for ``?board=``, its next meeting and changes since its last one."""
    today = timezone.localdate()
    initial = {"meeting_date": today, "since": dashboard.default_since(today)}
    board_id = request.GET.get("board", "")
    if board_id.isdigit() and len(board_id) < 10:
        board = form_class(user=request.user, organisation=organisation).fields["board"].queryset.filter(
            pk=int(board_id)).first()
        if board is not None:
            initial.update(packs.board_defaults(board, today=today))
    return initial


@login_required
def pack_list(request, org: str):
    """An organisation's board packs with their build status; a form builds a new one."""
    organisation = pages.organisation_for(request, org)
    can_build = access.can_create_in(request.user, organisation, BoardPack)
    form = None
    if can_build:
        form = PackForm(pages.posted(request), user=request.user, organisation=organisation,
                        initial=_pack_initial(request, organisation))
        if request.method == "POST" and form.is_valid():
            try:
                pack = packs.request_pack(organisation=organisation, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The pack is queued; this page shows when it is ready."))
                return HttpResponseRedirect(pack.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied
    listing = pages.paginate(
        request, BoardPack.objects.visible_to(request.user).filter(organisation=organisation)
        .select_related("requested_by", "issued_by", "organisation"), per_page=25)
    return render(request, "reporting/pack_list.html", {"organisation": organisation, "form": form, **listing})


def _pack(request, pk: int, *, write: bool = False) -> BoardPack:
    return access.get_object_for(request.user, BoardPack.objects.select_related(
        "organisation", "requested_by", "issued_by"), write=write, pk=pk)


@login_required
def pack_detail(request, pk: int):
    """A pack's status: queued, building, ready (download) or failed (with the error, and a retry)."""
    pack = _pack(request, pk)
    return render(request, "reporting/pack_detail.html", {
        "pack": pack, "organisation": pack.organisation, "can_change": access.can_change(request.user, pack),
        "can_issue": access.can_manage(request.user, pack.organisation),
    })


@login_required
def pack_download(request, pk: int):
    """The PDF, to the people who may see the pack (its organisation's, or its partnership's)."""
    pack = _pack(request, pk)
    if not pack.is_ready:
        raise Http404
    filename = f"{pack.organisation.slug if pack.organisation else 'partnership'}-board-pack-" \
               f"{pack.meeting_date:%Y-%m-%d}-{pack.language}.pdf"
    response = FileResponse(pack.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=filename)
    response["X-Checksum-SHA256"] = pack.checksum
    return response


@login_required
def start_page(request):
    """What needs the signed-in person: decisions waiting, their dates, their notices, their organisations."""
    today = timezone.localdate()
    dues, notices = start.my_dates(request.user, today=today)
    organisations = (
        Organisation.objects.active()
        .visible_to(request.user)
        .annotate(people=Count("memberships", filter=~Q(memberships__status=Membership.Status.SUSPENDED)))
    )
    roles = access.roles_of(request.user)
    context = {
        "today": today,
        "decisions": start.decisions_waiting(request.user),
        "boards": start.my_boards(request.user, today=today),
        "updates": start.updates_requested(request.user, today=today),
        "dues": dues,
        "contract_dates": notices,
        "notices": list(Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:5]),
        "organisations": [(org, roles.get(org.pk)) for org in organisations],
    }
    return render(request, "reporting/start.html", context)


def calendar_feed(request, secret: str):
    """The person's dates as iCalendar, for the secret address only; a wrong or revoked one is a 404."""
    person = PersonSettings.for_calendar_secret(secret)
    if person is None:
        raise Http404
    body = calendar.calendar_for(person.user, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="govtrack.ics"'
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def pack_action(request, pk: int, action: str):
    """Retry a failed build, or issue a ready pack (after which it never changes)."""
    pack = _pack(request, pk, write=True)
    try:
        if action == "retry":
            packs.retry_pack(pack=pack, by=request.user)
            messages.success(request, _("The build is queued again."))
        elif action == "issue":
            # Issuing gives the board its papers: the organisation's managers do it, not whoever built it.
            access.require(access.can_manage(request.user, pack.organisation))
            packs.issue_pack(pack=pack, by=request.user)
            messages.success(request, _("The pack is issued: it will not change."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(pack.get_absolute_url())


@login_required
def search(request):
    """Records of every kind the person may see, by words in their titles and texts, grouped by kind."""
    text = request.GET.get("q", "")
    kind_name = request.GET.get("kind", "")
    kinds = govtrack_search.kinds()
    context = {"q": text[: govtrack_search.MAX_LENGTH], "kinds": kinds, "kind": None, "groups": []}
    if text and len(text) > govtrack_search.MAX_LENGTH:
        context["problem"] = _("Search for at most %(n)s characters.") % {"n": govtrack_search.MAX_LENGTH}
    terms = govtrack_search.words(text)
    if terms and kind_name in kinds:
        kind = kinds[kind_name]
        listing = pages.paginate(request, govtrack_search.matching(kind, request.user, terms), per_page=50)
        context.update(listing, kind=kind, hits=[kind.hit(r) for r in listing["object_list"]])
    elif terms:
        context["groups"] = [
            (hits.kind, [hits.kind.hit(r) for r in hits.records], hits.total)
            for hits in govtrack_search.search(request.user, text)
        ]
    return render(request, "reporting/search.html", context)
