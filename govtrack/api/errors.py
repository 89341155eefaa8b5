"""JSON errors with field-level messages, whichever layer raised them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from govtrack.storage import StorageFailure


def exception_handler(exc, context):
    if isinstance(exc, StorageFailure):
        exc = StorageUnavailable(exc.message)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, StaleRecord):
        response.data = exc.data
    return response


class StorageUnavailable(exceptions.APIException):
    """The file could not be stored: nothing was saved (503; try again later)."""

    status_code = 503
    default_code = "storage_unavailable"


class StaleRecord(exceptions.APIException):
    """The record changed since the client read it (``If-Match`` names an older ETag): 412."""

    status_code = 412
    default_code = "precondition_failed"

    def __init__(self, stale, *, status_code: int = 412):
        self.status_code = status_code
        super().__init__(stale.message())
        # Given as it is (numbers stay numbers), not coerced to error strings.
        self.data = {
            "detail": stale.message(),
            "current_version": stale.current_version,
            "changed": [{"field": c.field, "label": c.label, "was": c.old, "now": c.new} for c in stale.changes],
        }


class VersionRequired(exceptions.APIException):
    """A service account changed a record without saying which version it read: 428."""

    status_code = 428
    default_code = "precondition_required"
    default_detail = (
        "Say which version of the record you are changing: send If-Match with the ETag from GET, "
        "or the record's version field."
    )
