"""The one way to build a page: the organisation from the URL, the record through the permission rule,
the form saved in one transaction with the rule checked again after the save.

Views stay thin::

    @login_required
    def register_create(request, org):
        organisation = pages.organisation_for(request, org)
        access.require(access.can_create_in(request.user, organisation, Register))
        form = RegisterForm(pages.posted(request), user=request.user, organisation=organisation)
        return pages.form_page(request, form, template="registers/register_form.html",
                               context={"organisation": organisation},
                               message=lambda r: _("Register %(name)s was created.") % {"name": r})

A link in a board pack or an email means the same page to every reader, because the organisation
is in its URL; the organisation chosen in the header only picks where ``/systems/`` and the like
send a person by default.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from functools import reduce
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from govtrack import access, locking
from govtrack.forms import add_errors
from govtrack.middleware import my_organisations
from govtrack.models import Organisation
from govtrack.storage import StorageFailure


def organisation_for(request, slug: str) -> Organisation:
    """The organisation a URL names: 404 unless the person may see it.

    Found among the organisations the person may see, read once a request for the header as well.
    """
    found = next((o for o in my_organisations(request) if o.slug == slug), None)
    if found is None:
        raise Http404("No organisation found.")
    return found


def posted(request):
    """The submitted data on POST (even when empty, so an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def first_and_total(queryset, n: int) -> tuple[list, int]:
    """The first ``n`` rows and how many there are in all, in one query (a window count), whatever the size.

    A start page or a dashboard shows a few rows of a list and its total: this keeps that to one query.
    A ``distinct()`` list is counted apart (a window would count the rows before DISTINCT), still the
    same two queries whatever its size.
    """
    if queryset.query.distinct or queryset.query.is_sliced or queryset._fields:  # values(): rows are not records
        return list(queryset[:n]), queryset.count()
    rows = list(queryset.annotate(gt_total=Window(Count("pk")))[:n])
    return rows, (rows[0].gt_total if rows else 0)


def record_path(viewname: str) -> Callable[[int], str]:
    """The path of ``viewname`` (a URL taking one ``pk``) for any record, from one ``reverse()``.

    For code that links thousands of records at once (the daily checks' notices and events, the
    dates registry): the same path ``reverse()`` gives, without resolving the pattern per record.
    """
    marker = 2_147_483_647
    head, _sep, tail = reverse(viewname, kwargs={"pk": marker}).partition(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def first_and_totals(queryset, lists: dict[str, tuple[Q, Sequence]], n: int) -> dict[str, tuple[list, int]]:
    """Several lists drawn from one queryset: each one's first ``n`` rows and its total, all in one query.

    ``lists`` names each list's condition and order. Every row is numbered within each list it belongs to
    and carries each list's total (window functions over the rows of any list); only the rows among the
    first ``n`` of some list come back (Django filters on the windows in an outer query). A row in two
    lists comes back once and is shown in both. A dashboard showing a few rows of several lists of the
    same records costs one query instead of one a list.

    Each list is a sort of every row in any list: worth it for a few short lists (the contracts ending and
    those past notice), not when a list holds every row (an organisation's top risks among thousands, which
    PostgreSQL sorts three times slower than it answers the separate queries).
    """
    annotations: dict[str, Any] = {}
    for index, (condition, order) in enumerate(lists.values()):
        member = Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
        annotations[f"gt_in_{index}"] = member
        annotations[f"gt_place_{index}"] = Window(RowNumber(), partition_by=[member], order_by=list(order))
        annotations[f"gt_total_{index}"] = Window(Sum(member))
    wanted = reduce(operator.or_, (condition for condition, _order in lists.values()))
    kept = reduce(operator.or_, (Q(**{f"gt_in_{index}": 1, f"gt_place_{index}__lte": n})
                                 for index in range(len(lists))))
    rows = list(queryset.filter(wanted).annotate(**annotations).filter(kept))
    found = {}
    for index, name in enumerate(lists):
        place = f"gt_place_{index}"
        members = sorted((row for row in rows if getattr(row, f"gt_in_{index}") and getattr(row, place) <= n),
                         key=attrgetter(place))
        found[name] = (members, getattr(rows[0], f"gt_total_{index}") or 0 if rows else 0)
    return found


def paginate(request, queryset, *, per_page: int) -> dict[str, Any]:
    """One page of a list (``?page=``; a page number out of range shows the nearest page, never an error)."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    return {"paginator": paginator, "page_obj": page, "object_list": page.object_list,
            "is_paginated": page.has_other_pages()}


def form_page(
    request,
    form,
    *,
    template: str,
    context: dict[str, Any] | None = None,
    message: str | Callable[[Any], str] = "",
    success_url: str | Callable[[Any], str] | None = None,
    save: Callable[[Any], Any] | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST save it (``save(form)``, else ``form.save()``) and redirect.

    The save runs in one transaction. An edit opened at an older version of the record is refused
    (``govtrack.locking``): the person sees who changed which fields and keeps what they typed.
    Afterwards the person must still be allowed the record the form saved (create it, or change
    the one they edited): if not, nothing is kept and they get 403. (A ``save`` that calls a
    service, such as proposing an escalation, is authorised by that service's own rule and the
    view's check before it.) A ValidationError from the model or a service shows on the form,
    and what they typed stays.
    """
    if request.method == "POST" and form.is_valid():
        instance = getattr(form, "instance", None)
        creating = instance is not None and instance.pk is None
        if instance is not None:
            instance._history_user = request.user
        try:
            with transaction.atomic():
                if instance is not None and not creating:
                    locking.check_current(instance, form.cleaned_data.get("version"))
                result = save(form) if save is not None else form.save()
                if instance is not None and result is instance:
                    _recheck(request.user, result, creating=creating)
        except locking.StaleEdit as stale:
            _show_stale(form, stale)
        except ValidationError as exc:
            add_errors(form, exc)
        except StorageFailure as failure:
            form.add_error(None, failure.message)
        else:
            text = message(result) if callable(message) else message
            if text:
                messages.success(request, text)
            if success_url is None:
                target = result.get_absolute_url()
            else:
                target = success_url(result) if callable(success_url) else success_url
            return HttpResponseRedirect(target)
    return render(request, template, {"form": form, **(context or {})})


def _show_stale(form, stale) -> None:
    """Keep what the person typed, say who changed what, and let a second save overwrite knowingly."""
    form.add_error(None, stale.message())
    form.stale = stale
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(stale.current_version)


def _recheck(user, result, *, creating: bool) -> None:
    if result is None or getattr(type(result), "scope", None) is None:
        return
    allowed = access.can_create(user, result) if creating else access.can_change(user, result)
    if not allowed:
        raise PermissionDenied(_("After this change you could no longer change the record, so it was not saved."))
