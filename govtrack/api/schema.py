"""The OpenAPI schema documents every answer an operation can give, errors included.

A postprocessing hook adds, to every operation that lacks them, the error responses govtrack's
API gives (400 with field messages, 401, 403, 404, 429, and 409/412/428 for updates), each with
the JSON body they carry, so a partner's client (and schemathesis in CI) knows them all.
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "What went wrong: `detail` for the request as a whole, or a list of messages per field.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
STALE = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "current_version": {"type": "integer"},
        "changed": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "label": {"type": "string"}, "was": {"type": "string"},
            "now": {"type": "string"}}}},
    },
    "additionalProperties": True,
}

COMMON = {
    "400": "The request is malformed or a field is invalid; nothing was changed.",
    "401": "No valid credentials: the token is missing, unknown, revoked or expired.",
    "403": "The caller may not do this (their role, a read-only token, or a record they may not change).",
    "404": "No such record among those the caller may see.",
    "429": "Too many requests: wait and try again.",
    "503": "govtrack cannot reach its database just now.",
}
UPDATES = {
    "409": "The `version` sent is not the record's current one: someone changed it since. Nothing was saved.",
    "412": "The `If-Match` ETag is not the record's current one: someone changed it since. Nothing was saved.",
    "428": "A service account must say which version it changes (`If-Match` or `version`).",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the error answers of every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("StaleRecord", STALE)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            wanted = dict(COMMON)
            if method in ("put", "patch"):
                wanted |= UPDATES
            for code, description in wanted.items():
                if code in responses:
                    continue
                ref = "StaleRecord" if code in ("409", "412") else "Error"
                responses[code] = {"description": description,
                                   "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}
    return result
