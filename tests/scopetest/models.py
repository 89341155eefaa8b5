"""A record a partnership shares or owns, and a record shared by two parties: declared with the kernel alone."""

from django.conf import settings
from django.db import models

from govtrack.models import ScopedModel, SharedModel, TimeStampedModel
from govtrack.scoping import Scope


class JointNote(SharedModel):
    """Of one organisation (shared with a partnership when one is set), or of the partnership alone."""

    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")

    scope = Scope(partnership="partnership", owners=("author",))
    same_organisation = ("author",)

    def __str__(self) -> str:
        return self.title


class Deal(ScopedModel, TimeStampedModel):
    """Between a provider and a client: both parties read and change it."""

    title = models.CharField(max_length=200)
    provider = models.ForeignKey("govtrack.Organisation", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("govtrack.Organisation", on_delete=models.PROTECT, related_name="+")

    scope = Scope(organisation=("provider", "client"))

    def __str__(self) -> str:
        return self.title


class Attachment(ScopedModel, TimeStampedModel):
    """An uploaded file of an organisation, to prove that exports carry files."""

    organisation = models.ForeignKey("govtrack.Organisation", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="scopetest/")

    def __str__(self) -> str:
        return self.file.name
