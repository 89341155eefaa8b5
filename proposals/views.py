"""Pages of audit proposals and actions. Thin: parse, authorise through govtrack.access, call the rule, respond."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govtrack import access, pages
from govtrack.audit import history_for
from govtrack.middleware import current_organisation
from govtrack.models import Organisation
from proposals import rag, services
from proposals.filters import ProposalFilterSet
from proposals.forms import (
    ActionForm,
    CloseForm,
    EvidenceForm,
    ProposalForm,
    ReasonForm,
    RequestUpdatesForm,
    ReviseForm,
    SignOffForm,
    SourceForm,
    UpdateForm,
)
from proposals.models import Action, BusinessCase, Evidence, Proposal, Source

#: Proposals in one page of the tracker; sources in one page of their list.
TRACKER_PER_PAGE = 50
SOURCES_PER_PAGE = 50
#: Updates and revisions shown on an action's page (the newest; the API pages through all of them).
UPDATES_SHOWN = 50


def _source(user, pk: int, *, write: bool = False) -> Source:
    return access.get_object_for(user, Source.objects.select_related("organisation", "partnership"),
                                 write=write, pk=pk)


def _proposal(user, pk: int, *, write: bool = False) -> Proposal:
    return access.get_object_for(user, Proposal.objects.for_pages().with_status(), write=write, pk=pk)


def _action(user, pk: int, *, write: bool = False) -> Action:
    return access.get_object_for(user, Action.objects.for_pages().with_rag(), write=write, pk=pk)


def _decorate(proposals, today) -> None:
    for proposal in proposals:
        proposal.rag_name = rag.NAME.get(proposal.rag_rank_db) or (
            rag.COMPLETE if proposal.status in Proposal.FINISHED else "")
        proposal.days_late = services.days_overdue(proposal, today)


@login_required
def tracker(request):
    """Every proposal the person may see, with RAG, % complete, days overdue and the latest update."""
    today = timezone.localdate()
    base = Proposal.objects.visible_to(request.user).active()
    filterset = ProposalFilterSet(request.GET or None, queryset=base)
    listing = pages.paginate(request, filterset.qs.with_tracker(today).for_pages()
                             .order_by("-source__issued_on", "source_id", "position", "code", "pk"),
                             per_page=TRACKER_PER_PAGE)
    proposals = list(listing["object_list"])
    _decorate(proposals, today)
    counts = services.proposals_by_status(base)
    current = current_organisation(request)
    return render(request, "proposals/tracker.html", {
        "request_updates_for": current if current and access.can_manage(request.user, current) else None,
        "proposals": proposals, "filter": filterset, **listing, "counts": counts,
        "statuses": Proposal.Status.choices, "sources": Source.objects.visible_to(request.user).active()
        .order_by("-issued_on")[:200], "rag_labels": rag.LABELS,
    })


@login_required
def source_list(request):
    sources = Source.objects.visible_to(request.user).active().select_related("organisation", "partnership")
    listing = pages.paginate(request, sources.order_by("-issued_on", "pk"), per_page=SOURCES_PER_PAGE)
    creatable = [org for org in Organisation.objects.active().visible_to(request.user)
                 if access.can_create_in(request.user, org, Source)]
    return render(request, "proposals/source_list.html", {**listing, "sources": listing["object_list"],
                                                          "creatable": creatable})


@login_required
def source_detail(request, pk: int):
    """A source and its proposals with their status and RAG."""
    source = _source(request.user, pk)
    today = timezone.localdate()
    proposals = list(source.proposals.active().with_tracker(today).for_pages().order_by("position", "code", "pk"))
    _decorate(proposals, today)
    return render(request, "proposals/source_detail.html", {
        "source": source, "proposals": proposals, "can_change": access.can_change(request.user, source),
        "history": history_for(source, user=request.user, url=reverse("proposals:source_history", args=[source.pk])),
    })


@login_required
def source_create(request, org: str):
    organisation = pages.organisation_for(request, org)
    access.require(access.can_create_in(request.user, organisation, Source))
    form = SourceForm(pages.posted(request), pages.posted_files(request), user=request.user,
                      organisation=organisation)
    return pages.form_page(request, form, template="proposals/source_form.html",
                           context={"organisation": organisation},
                           message=lambda s: _("Source %(title)s was added.") % {"title": s})


@login_required
def source_edit(request, pk: int):
    source = _source(request.user, pk, write=True)
    form = SourceForm(pages.posted(request), pages.posted_files(request), instance=source, user=request.user,
                      organisation=source.organisation)
    return pages.form_page(request, form, template="proposals/source_form.html",
                           context={"organisation": source.organisation, "source": source},
                           message=lambda s: _("Source %(title)s was saved.") % {"title": s})


@require_GET
@login_required
def source_file(request, pk: int):
    """The report itself, to those who may see the source."""
    return _serve(_source(request.user, pk))


@require_GET
@login_required
def evidence_file(request, pk: int):
    """An evidence file, to those who may see its action; anyone else gets 404."""
    return _serve(access.get_object_for(request.user, Evidence.objects.all(), pk=pk))


def _serve(record) -> FileResponse:
    if not record.file:
        raise Http404(_("No file is attached."))
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The file is missing from storage.")) from None
    response = FileResponse(handle, as_attachment=True, filename=record.file_name or "file",
                            content_type=record.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def proposal_create(request, pk: int):
    source = _source(request.user, pk, write=True)
    form = ProposalForm(pages.posted(request), user=request.user, source=source)
    return pages.form_page(request, form, template="proposals/proposal_form.html", context={"source": source},
                           message=lambda p: _("Proposal %(code)s was added.") % {"code": p.code})


@login_required
def proposal_edit(request, pk: int):
    proposal = _proposal(request.user, pk, write=True)
    form = ProposalForm(pages.posted(request), instance=proposal, user=request.user, source=proposal.source)
    return pages.form_page(request, form, template="proposals/proposal_form.html",
                           context={"source": proposal.source, "proposal": proposal},
                           message=lambda p: _("Proposal %(code)s was saved.") % {"code": p.code})


#: A proposal or action page shows this many of the board decisions about it; the decision log has them all.
DECISIONS_SHOWN = 10


def _decisions_about(record, user) -> dict:
    """The board decisions about a proposal or action that the person may read, latest first.

    Boards link their decisions to proposals (the link lives on the decision), so this reads the
    reverse relation and needs nothing of the boards app but its records' own scoping.
    """
    found = list(record.board_decisions.visible_to(user).active().select_related("meeting", "meeting__board")
                 .order_by("-meeting__held_on", "-pk")[:DECISIONS_SHOWN + 1])
    return {"items": found[:DECISIONS_SHOWN], "more": len(found) > DECISIONS_SHOWN}


@login_required
def proposal_detail(request, pk: int):
    """A proposal: response, status, actions with RAG, follow-up links both ways, linked records, history."""
    proposal = _proposal(request.user, pk)
    today = timezone.localdate()
    visible = Proposal.objects.visible_to(request.user).select_related("source")
    actions = list(proposal.actions.active().with_rag(today).select_related("owner", "signed_off_by")
                   .order_by("due_on", "pk"))
    return render(request, "proposals/proposal_detail.html", {
        "proposal": proposal, "actions": actions, "today": today,
        "follows_up": list(visible.filter(followed_up_by=proposal)),
        "followed_up_by": list(visible.filter(follows_up=proposal)),
        "risks": list(proposal.risks.visible_to(request.user).select_related("register")),
        "systems": list(proposal.systems.visible_to(request.user)),
        "agreements": list(proposal.agreements.visible_to(request.user)),
        "decisions": _decisions_about(proposal, request.user),
        "can_change": access.can_change(request.user, proposal),
        "can_add_action": access.can_change(request.user, proposal),
        "history": history_for(proposal, user=request.user,
                               url=reverse("proposals:proposal_history", args=[proposal.pk])),
    })


@login_required
def proposal_close(request, pk: int):
    """Close (or mark superseded) a proposal, with the person and the date."""
    proposal = _proposal(request.user, pk, write=True)
    form = CloseForm(pages.posted(request), user=request.user)
    return pages.form_page(
        request, form, template="proposals/close_form.html", context={"proposal": proposal},
        save=lambda f: proposal.close(by=request.user, **f.cleaned_data),
        message=_("The proposal was closed."), success_url=proposal.get_absolute_url(),
    )


@login_required
def action_create(request, pk: int):
    proposal = _proposal(request.user, pk, write=True)
    form = ActionForm(pages.posted(request), user=request.user, proposal=proposal)
    return pages.form_page(request, form, template="proposals/action_form.html", context={"proposal": proposal},
                           message=_("The action was added."))


@login_required
def action_edit(request, pk: int):
    action = _action(request.user, pk, write=True)
    form = ActionForm(pages.posted(request), instance=action, user=request.user, proposal=action.proposal)
    return pages.form_page(request, form, template="proposals/action_form.html",
                           context={"proposal": action.proposal, "action": action},
                           message=_("The action was saved."))


@login_required
def action_detail(request, pk: int):
    """An action: owner, dates (original and revised, with reasons), progress, RAG, target, evidence, updates."""
    action = _action(request.user, pk)
    can_change = access.can_change(request.user, action)
    return render(request, "proposals/action_detail.html", {
        "action": action, "proposal": action.proposal, "today": timezone.localdate(),
        "revisions": list(action.revisions.select_related("revised_by")),
        "updates": list(action.updates.select_related("written_by")[:UPDATES_SHOWN]),
        "evidence": list(action.evidence.active().select_related("added_by")),
        "decisions": _decisions_about(action, request.user),
        "can_change": can_change,
        "can_sign_off": action.status == Action.Status.COMPLETED and request.user.pk != action.owner_id
        and access.can_change(request.user, action.proposal),
        "history": history_for(action, user=request.user, url=reverse("proposals:action_history", args=[action.pk])),
    })


def _action_form(request, pk, form_class, *, template, save, message, write=True, check=None, initial=None):
    action = _action(request.user, pk, write=write)
    if check is not None:
        access.require(check(action))
    form = form_class(pages.posted(request), user=request.user, initial=initial(action) if initial else None)
    return pages.form_page(request, form, template=template, context={"action": action, "proposal": action.proposal},
                           save=lambda f: save(action, f.cleaned_data), message=message,
                           success_url=action.get_absolute_url())


@login_required
def action_update(request, pk: int):
    """The owner's update before a meeting: progress and forecast, kept beside the earlier ones."""
    return _action_form(request, pk, UpdateForm, template="proposals/update_form.html",
                        save=lambda a, d: a.record_update(by=request.user, **d),
                        message=_("Your update was recorded."),
                        initial=lambda a: {"for_meeting_on": a.update_requests.unanswered()
                                           .filter(meeting_on__gte=timezone.localdate())
                                           .values_list("meeting_on", flat=True).first()})


@login_required
def request_updates(request, org: str):
    """A manager asks every open action's owner in the organisation for an update before a meeting."""
    organisation = pages.organisation_for(request, org)
    access.require(access.can_manage(request.user, organisation))
    actions = Action.objects.changeable_by(request.user).filter(proposal__source__organisation=organisation,
                                                                 proposal__archived_at__isnull=True)
    initial = {}
    asked = request.GET.get("meeting_on", "")[:10]
    try:
        initial["meeting_on"] = date.fromisoformat(asked)
    except ValueError:
        pass  # no date, or not one: the person types it
    form = RequestUpdatesForm(pages.posted(request), user=request.user, initial=initial)
    return pages.form_page(
        request, form, template="proposals/request_updates_form.html",
        context={"organisation": organisation, "open_actions": actions.open().count()},
        save=lambda f: services.request_updates(actions=actions, meeting_on=f.cleaned_data["meeting_on"],
                                                by=request.user),
        message=lambda n: _("%(n)s owners were asked for an update; those asked before are not asked again.")
        % {"n": n},
        success_url=reverse("proposals:tracker") + f"?organisation={organisation.slug}")


@login_required
def action_revise(request, pk: int):
    return _action_form(request, pk, ReviseForm, template="proposals/revise_form.html",
                        save=lambda a, d: a.revise_due_date(by=request.user, **d),
                        message=_("The due date was revised; the original stays visible."))


@login_required
def action_sign_off(request, pk: int):
    """Sign off a completed action: someone who may change the proposal, never the action's owner."""
    return _action_form(request, pk, SignOffForm, template="proposals/sign_off_form.html", write=False,
                        check=lambda a: access.can_change(request.user, a.proposal),
                        save=lambda a, d: a.sign_off(by=request.user, **d),
                        message=_("The action was signed off."))


@login_required
def action_cancel(request, pk: int):
    return _action_form(request, pk, ReasonForm, template="proposals/reason_form.html",
                        check=lambda a: access.can_change(request.user, a.proposal),
                        save=lambda a, d: a.cancel(by=request.user, **d), message=_("The action was cancelled."))


@login_required
def action_reopen(request, pk: int):
    return _action_form(request, pk, ReasonForm, template="proposals/reason_form.html",
                        check=lambda a: access.can_change(request.user, a.proposal),
                        save=lambda a, d: a.reopen(by=request.user, **d), message=_("The action was reopened."))


@login_required
def evidence_create(request, pk: int):
    action = _action(request.user, pk, write=True)
    form = EvidenceForm(pages.posted(request), pages.posted_files(request), user=request.user, action=action,
                        by=request.user)
    return pages.form_page(request, form, template="proposals/evidence_form.html",
                           context={"action": action, "proposal": action.proposal},
                           message=_("The evidence was added."))


@login_required
def business_case_list(request):
    cases = (BusinessCase.objects.visible_to(request.user).active().select_related("organisation", "system")
             .prefetch_related("benefits").order_by("-approved_on", "pk"))
    listing = pages.paginate(request, cases, per_page=SOURCES_PER_PAGE)
    return render(request, "proposals/business_case_list.html", {**listing, "cases": listing["object_list"]})


@login_required
def business_case_detail(request, pk: int):
    """Benefits realisation: what the business case promised, against the actuals after go-live."""
    case = access.get_object_for(
        request.user, BusinessCase.objects.select_related("organisation", "system", "proposal", "owner")
        .prefetch_related(Prefetch("benefits")), pk=pk)
    return render(request, "proposals/business_case_detail.html", {
        "case": case, "benefits": list(case.benefits.all()),
        "history": history_for(case, user=request.user, url=reverse("proposals:business_case_history", args=[case.pk])),
    })

