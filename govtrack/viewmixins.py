"""Archiving and restoring, the pages every app shares as classes: nothing governed is hard-deleted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import View

from govtrack import access


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
