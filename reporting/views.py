"""Pages that span the domain apps. Thin: parse, authorise through govtrack.access, call the rule, respond."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrack import access, pages
from govtrack import search as govtrack_search
from govtrack.models import Membership, Notification, Organisation, PersonSettings
from registers.models import RiskMatrix
from reporting import calendar, services, start


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
