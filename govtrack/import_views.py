"""Upload → preview with column mapping → import, and export, for every registered importer."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _

from govtrack import access, pages, spreadsheets
from govtrack.imports import MAX_UPLOAD_BYTES, ColumnMapping, get_importer, import_file, save_mapping

_SESSION = "govtrack_imports"


def _importer_or_404(kind: str):
    importer = get_importer(kind)
    if importer is None:
        raise Http404(_("Nothing can be imported under that name."))
    return importer


def _url_options(request, importer) -> dict[str, str]:
    """The options this importer takes from the query string (say, which register)."""
    names = (*importer.resource_class.url_options, "archived")
    return {name: request.GET[name] for name in names if request.GET.get(name)}


def _stored_path(request, upload_id: str) -> tuple[str, str]:
    uploads = request.session.get(_SESSION, {})
    if upload_id not in uploads:
        raise Http404(_("That upload has expired; upload the file again."))
    return uploads[upload_id]["path"], uploads[upload_id]["name"]


def _list_url(importer, organisation) -> str:
    """Where the imported records are listed: the organisation's list when it has one."""
    try:
        return reverse(importer.list_url_name, args=[organisation.slug])
    except NoReverseMatch:
        return reverse(importer.list_url_name)


@login_required
def import_view(request, org: str, kind: str):
    """Import records from a council's own spreadsheet into the organisation the URL names."""
    importer = _importer_or_404(kind)
    organisation = pages.organisation_for(request, org)
    access.require(access.can_manage(request.user, organisation))
    saved = ColumnMapping.objects.filter(organisation=organisation, kind=kind)
    options = _url_options(request, importer)
    can_generate = bool(importer.resource_class.generated_columns({"generate_references": "yes"}))
    if can_generate and request.POST.get("generate_references") == "yes":
        options["generate_references"] = "yes"
    context = {
        "can_generate": can_generate,
        "generating": "generate_references" in options,
        "importer": importer,
        "options": options,
        "organisation": organisation,
        "saved_mappings": saved,
        "columns": importer.resource_class.column_names(),
        "column_labels": importer.resource_class.column_labels(),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    if request.method != "POST":
        return render(request, "govtrack/import.html", context)

    upload_id = request.POST.get("upload_id", "")
    mapping = None
    if "file" in request.FILES:
        upload = request.FILES["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            context["file_error"] = _("The file is larger than %(mb)s MB.") % {"mb": context["max_mb"]}
            return render(request, "govtrack/import.html", context, status=400)
        upload_id = uuid.uuid4().hex
        path = default_storage.save(f"imports/{upload_id}-{slugify(upload.name)[-60:]}", ContentFile(upload.read()))
        uploads = request.session.get(_SESSION, {})
        uploads[upload_id] = {"path": path, "name": upload.name}
        request.session[_SESSION] = uploads
        chosen = saved.filter(pk=request.POST.get("saved_mapping") or None).first()
        mapping = chosen.columns if chosen else None
    elif not upload_id:
        context["file_error"] = _("Choose a CSV or XLSX file to upload.")
        return render(request, "govtrack/import.html", context, status=400)
    else:
        headers = request.POST.getlist("header")
        mapping = {header: request.POST.get(f"map-{index}", "") for index, header in enumerate(headers)}

    path, name = _stored_path(request, upload_id)
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    commit = request.POST.get("action") == "import"
    outcome = import_file(
        resource_class=importer.resource_class,
        organisation=organisation,
        user=request.user,
        content=content,
        filename=name,
        mapping=mapping,
        dry_run=not commit,
        options=options,
    )
    mapping_name = request.POST.get("mapping_name", "").strip()
    if mapping_name and outcome.headers:
        try:
            save_mapping(
                organisation=organisation, kind=kind, name=mapping_name, columns=outcome.mapping, by=request.user
            )
            messages.success(request, _("Column mapping %(name)s saved.") % {"name": mapping_name})
        except ValidationError as exc:
            context["mapping_error"] = "; ".join(exc.messages)
    if outcome.committed:
        default_storage.delete(path)
        request.session.get(_SESSION, {}).pop(upload_id, None)
        request.session.modified = True
        messages.success(request, outcome.summary(dry_run=False))
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = _list_url(importer, organisation)
        return redirect(target)
    context.update(
        {
            "outcome": outcome,
            "upload_id": upload_id,
            "filename": name,
            "mapping_rows": [(index, header, target, outcome.samples.get(header, ""))
                             for index, (header, target) in enumerate(outcome.mapping.items())],
            "summary": outcome.summary(dry_run=True),
        }
    )
    return render(request, "govtrack/import.html", context, status=200 if outcome.ok else 400)


@login_required
def export_view(request, org: str, kind: str, fmt: str):
    """The organisation's records with the import's columns, as CSV or XLSX."""
    importer = _importer_or_404(kind)
    organisation = pages.organisation_for(request, org)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    options = _url_options(request, importer)
    resource = importer.resource_class(organisation=organisation, user=request.user, options=options)
    # XLSX keeps numbers and dates typed; CSV is text anyway.
    dataset = resource.export(force_native_type=fmt == "xlsx")
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    body = spreadsheets.csv_bytes(dataset) if fmt == "csv" else spreadsheets.xlsx_bytes(dataset)
    response = HttpResponse(body, content_type=content_type)
    suffix = "".join(f"-{slugify(value)}" for value in options.values())
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-{kind}{suffix}.{fmt}"'
    return response
