"""View mixins every app uses, so each page goes through the one permission rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import View

from govtrack import access
from govtrack.audit import history_for


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Lists and detail pages see only what ``visible_to(request.user)`` returns."""

    #: Set on edit views: the object must be changeable by the person, else 403.
    write = False

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_object(self, queryset=None):
        queryset = queryset if queryset is not None else self.get_queryset()
        lookup = (
            {self.slug_field: self.kwargs[self.slug_url_kwarg]}
            if self.slug_url_kwarg in self.kwargs
            else {"pk": self.kwargs.get(self.pk_url_kwarg)}
        )
        return access.get_object_for(self.request.user, queryset, write=self.write, **lookup)


class AuditTrailMixin:
    """Puts the record's audit trail and the person's rights on it into the page context."""

    def history_related(self) -> tuple:
        """Related records whose changes belong on this record's trail (``govtrack.audit.Related``)."""
        return ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["history"] = history_for(obj, related=self.history_related())
        context["can_change"] = access.can_change(self.request.user, obj)
        return context


class ArchiveView(ScopedQuerysetMixin, View):
    """POST archives a record the person may change; nothing is hard-deleted."""

    model = None
    success_url_name: str | None = None
    slug_field = "slug"
    slug_url_kwarg = "slug"
    pk_url_kwarg = "pk"

    def get_queryset(self):
        return self.model.objects.all().visible_to(self.request.user)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        if not access.can_change(request.user, obj):
            raise PermissionDenied
        obj.archive(by=request.user)
        messages.success(request, _("%(record)s was archived. Its history is kept.") % {"record": obj})
        return HttpResponseRedirect(self.get_success_url(obj))

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()
