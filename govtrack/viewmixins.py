"""The pages every app shares as classes: archiving and restoring (nothing governed is hard-deleted),
and a record's whole audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import View

from govtrack import access, audit


class ArchiveView(LoginRequiredMixin, View):
    """POST archives a record the person may change; nothing is hard-deleted."""

    model = None
    slug_field = "slug"
    slug_url_kwarg = "slug"
    pk_url_kwarg = "pk"

    def get_queryset(self):
        return self.model.objects.all()

    def get_object(self):
        lookup = (
            {self.slug_field: self.kwargs[self.slug_url_kwarg]}
            if self.slug_url_kwarg in self.kwargs
            else {"pk": self.kwargs.get(self.pk_url_kwarg)}
        )
        return access.get_object_for(self.request.user, self.get_queryset(), write=True, **lookup)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        obj.archive(by=request.user)
        messages.success(request, _("%(record)s was archived. Its history is kept.") % {"record": obj})
        return HttpResponseRedirect(self.get_success_url(obj))

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()


class RestoreView(ArchiveView):
    """POST brings an archived record back; its organisation's managers may."""

    def get_object(self):
        lookup = (
            {self.slug_field: self.kwargs[self.slug_url_kwarg]}
            if self.slug_url_kwarg in self.kwargs
            else {"pk": self.kwargs.get(self.pk_url_kwarg)}
        )
        obj = access.get_object_for(self.request.user, self.get_queryset(), **lookup)
        access.require(access.can_restore(self.request.user, obj))
        return obj

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        obj.restore(by=request.user)
        messages.success(request, _("%(record)s was restored.") % {"record": obj})
        return HttpResponseRedirect(obj.get_absolute_url())


class HistoryView(LoginRequiredMixin, View):
    """GET: a record's whole audit trail, newest first, 50 changes a page; its own page shows the latest.

    The record comes through the one permission rule (another organisation's record is 404), and
    ``related`` names the records whose changes its page's trail includes, so both read the same.
    """

    model = None
    #: URL argument -> the record's field it names.
    lookups = {"pk": "pk"}
    #: record -> tuple of ``audit.Related``: the records whose changes belong on its trail.
    related = None
    #: (user, record) -> bool, for records only some of their readers may open (webhooks: administrators).
    allowed = None
    per_page = 50

    def get(self, request, *args, **kwargs):
        lookup = {field: kwargs[argument] for argument, field in self.lookups.items()}
        record = access.get_object_for(request.user, self.model, **lookup)
        if self.allowed is not None:
            access.require(self.allowed(request.user, record))
        page, entries = audit.history_page(record, related=self.related(record) if self.related else (),
                                           number=request.GET.get("page"), per_page=self.per_page, user=request.user)
        return render(request, "govtrack/record_history.html", {
            "record": record, "history": entries, "page_obj": page, "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
        })
