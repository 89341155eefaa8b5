"""Webhook pages: an organisation's admin registers endpoints, sees every delivery, and fixes what fails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrack import access, pages
from govtrack.audit import history_for
from govtrack.forms import add_errors
from webhooks import services
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint

DELIVERIES_PER_PAGE = 25


def _administered_endpoint(request, pk: int) -> Endpoint:
    """The endpoint, if the person administers its organisation: 404 if hidden, 403 if not an admin."""
    endpoint = access.get_object_for(request.user, Endpoint.objects.select_related("organisation"), pk=pk)
    access.require(access.can_administer(request.user, endpoint.organisation))
    return endpoint


@login_required
def endpoint_list(request, org: str):
    organisation = pages.organisation_for(request, org)
    access.require(access.can_administer(request.user, organisation))
    form = EndpointForm(pages.posted(request), user=request.user, organisation=organisation)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.register_endpoint(
                organisation=organisation, by=request.user, name=form.cleaned_data["name"],
                url=form.cleaned_data["url"], events_wanted=form.cleaned_data["events"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Webhook %(name)s was registered.") % {"name": endpoint.name})
            new_secret, form = endpoint, EndpointForm(user=request.user, organisation=organisation)
    endpoints = (
        Endpoint.objects.visible_to(request.user).filter(organisation=organisation, archived_at__isnull=True)
        .annotate(failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
                  delivered=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.DELIVERED)))
        .order_by("name", "pk")
    )
    return render(request, "webhooks/endpoint_list.html", {
        "organisation": organisation, "endpoints": pages.paginate(request, endpoints, per_page=50),
        "form": form, "new_secret_for": new_secret,
    })


def _detail(request, endpoint: Endpoint, **context):
    deliveries = Delivery.objects.filter(endpoint=endpoint).only(
        "pk", "endpoint_id", "event", "status", "attempts", "response_code", "error", "next_attempt_at",
        "created_at", "delivered_at")
    return render(request, "webhooks/endpoint_detail.html", {
        "endpoint": endpoint, "organisation": endpoint.organisation,
        "deliveries": pages.paginate(request, deliveries, per_page=DELIVERIES_PER_PAGE),
        "history": history_for(endpoint, user=request.user,
                               url=reverse("webhooks:endpoint_history", args=[endpoint.pk])),
        **context,
    })


@login_required
def endpoint_detail(request, pk: int):
    return _detail(request, _administered_endpoint(request, pk))


@login_required
def endpoint_update(request, pk: int):
    endpoint = _administered_endpoint(request, pk)
    form = EndpointForm(pages.posted(request), instance=endpoint, user=request.user,
                        organisation=endpoint.organisation)
    return pages.form_page(request, form, template="webhooks/endpoint_form.html",
                           context={"endpoint": endpoint, "organisation": endpoint.organisation},
                           message=lambda e: _("Webhook %(name)s was updated.") % {"name": e.name})


@login_required
@require_POST
def endpoint_action(request, pk: int, action: str):
    endpoint = _administered_endpoint(request, pk)
    if action == "rotate":
        endpoint.rotate_secret(by=request.user)
        messages.success(request, _("A new signing secret was made; the old one no longer signs deliveries."))
        return _detail(request, endpoint, new_secret=endpoint.secret)
    if action == "enable":
        endpoint.enable(by=request.user)
        messages.success(request, _("Webhook %(name)s is enabled again.") % {"name": endpoint.name})
    elif action == "disable":
        endpoint.disable(by=request.user, reason=_("Disabled by %(person)s.") % {"person": request.user})
        messages.success(request, _("Webhook %(name)s is disabled.") % {"name": endpoint.name})
    elif action == "test":
        if not endpoint.enabled:
            messages.error(request, _("Enable the endpoint before sending anything to it."))
        else:
            services.send_test(endpoint=endpoint, by=request.user)
            messages.success(request, _("A test delivery (ping) is on its way."))
    elif action == "archive":
        endpoint.disable(by=request.user, reason=_("Archived."))
        endpoint.archive(by=request.user)
        messages.success(request, _("Webhook %(name)s was archived.") % {"name": endpoint.name})
        return redirect("webhooks:endpoint_list", org=endpoint.organisation.slug)
    else:
        raise Http404
    return redirect(endpoint.get_absolute_url())


@login_required
@require_POST
def redeliver(request, pk: int):
    delivery = access.get_object_for(request.user, Delivery.objects.select_related("endpoint__organisation"), pk=pk)
    access.require(access.can_administer(request.user, delivery.endpoint.organisation))
    try:
        services.redeliver(delivery=delivery, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Delivery %(id)s will be sent again.") % {"id": delivery.pk})
    return redirect(delivery.endpoint.get_absolute_url())
