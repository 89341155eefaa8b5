"""File storage that fails cleanly: a write the disk refuses (full, read-only, gone) leaves no partial file
and raises ``StorageFailure``, which pages show as a message and the API as 503, with nothing saved.

The record that would have pointed at the file is never saved either: the save runs in the
request's transaction (``govtrack.pages.form_page``, the API's atomic requests), so no record ever
points at a file that is missing or cut short.
"""

from __future__ import annotations

import os

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _


class StorageFailure(OSError):
    """The file could not be stored; nothing was kept."""

    message = _("The file could not be stored (the server's storage refused it), so nothing was saved. "
                "Try again later; if it goes on, tell the service's administrators.")


class SafeFileSystemStorage(FileSystemStorage):
    """Django's file-system storage, minus the partial file a failed write leaves behind."""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as error:
            if not isinstance(error, FileExistsError):
                # ``save`` chose a free name and the write opens it exclusively: a file there is this
                # write's own, cut short.
                path = self.path(name)
                if os.path.exists(path):
                    os.remove(path)
                raise StorageFailure(error.errno, str(error)) from error
            raise
