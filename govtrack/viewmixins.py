"""Archiving, the one page every app shares as a class: POST archives a record the person may change."""

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
