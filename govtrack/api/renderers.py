"""CSV from any API list (``?format=csv``): the same filters and page as the JSON, cells neutralised.

Rows are the page's records (``page_size`` up to 500; walk further with ``cursor``); nested
values become ``field.sub`` columns and lists are joined with "; ". Every cell goes through
``govtrack.spreadsheets``, the one writer that neutralises what a spreadsheet would run.
"""

from __future__ import annotations

from typing import Any

import tablib
from rest_framework.renderers import BaseRenderer, JSONRenderer

from govtrack.spreadsheets import csv_bytes


def _flatten(value: Any, prefix: str, row: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), row)
    elif isinstance(value, list):
        row[prefix] = "; ".join(str(v) if not isinstance(v, dict) else str(v.get("id", v)) for v in value)
    else:
        row[prefix] = value


def rows_of(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    records = data if isinstance(data, list) else [data]
    rows = []
    for record in records:
        row: dict[str, Any] = {}
        _flatten(record if isinstance(record, dict) else {"value": record}, "", row)
        rows.append(row)
    return rows


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            # Errors are JSON whatever format was asked for, with their field-level messages.
            response["Content-Type"] = "application/json"
            return JSONRenderer().render(data)
        rows = rows_of(data)
        headers = list(dict.fromkeys(key for row in rows for key in row))
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([row.get(h) for h in headers])
        if response is not None:
            view = (renderer_context or {}).get("view")
            name = getattr(view, "basename", None) or "records"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return csv_bytes(dataset)
