"""Everything exportable: every record, its history and its uploaded files, as JSON and files in a folder.

``export_all`` writes a folder that ``import_all`` restores into an empty, migrated database, so a
council can always take its data out of govtrack or move it. It works over every installed app's
models (found from the app registry, so an app added later is included without changes here):

    <folder>/manifest.json          what is in it, model by model, and where it came from
    <folder>/data/<app>.<model>.json  the records, with Django's JSON serializer
    <folder>/files/<storage path>     every uploaded file a record refers to

With an organisation, only its records are written: each model's scope says which those are
(``Model.scope``), people are the organisation's members, and history rows follow their records.
"""

from __future__ import annotations

import datetime
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

FORMAT = 1
#: Apps whose records are the organisation's data; the rest (sessions, admin log, lockouts, content
#: types, schedules built from settings) are not worth keeping or are rebuilt by ``migrate``.
DATA_APPS = ("auth", "otp_totp", "otp_static")
SKIPPED_MODELS = {"auth.permission"}


class BackupError(Exception):
    """The folder or the database is not as an export or a restore needs; the message says why."""


def _project_app_labels() -> list[str]:
    from django.conf import settings

    project = [name for name in settings.INSTALLED_APPS if "." not in name or name.startswith("tests.")]
    labels = []
    for config in apps.get_app_configs():
        if config.name in project or config.label in DATA_APPS:
            labels.append(config.label)
    return labels


def exported_models() -> list[type[models.Model]]:
    """Every model whose records an export holds, in a stable order."""
    labels = _project_app_labels()
    found = []
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in SKIPPED_MODELS or model._meta.proxy:
                continue
            found.append(model)
    return found


def _instance_model(model):
    """For a history model, the model whose records it follows; else the model itself."""
    return getattr(model, "instance_type", None) or model


def _scoped_queryset(model, organisation):
    """The organisation's rows of a model, or None when the model has no way to say."""
    user_model = get_user_model()
    base = model._base_manager.all()
    if organisation is None:
        return base
    if any(f.name == "m2m_history_id" for f in model._meta.fields):
        # The links a history row kept (simple-history's m2m_fields) follow that row.
        rows = _scoped_queryset(model._meta.get_field("history").related_model, organisation)
        return None if rows is None else base.filter(history__in=rows.values("pk"))
    target = _instance_model(model)
    scope = getattr(target, "scope", None)
    if target is user_model:
        members = apps.get_model("govtrack", "Membership").objects.filter(organisation=organisation)
        return base.filter(pk__in=members.values("user_id"))
    if scope is not None and scope.public:
        return base
    if scope is not None and scope.organisation_paths:
        condition = models.Q(pk__in=[])
        for path in scope.organisation_paths:
            condition |= models.Q(**{path: organisation.pk})
        try:
            return base.filter(condition)
        except Exception:  # a history model whose path does not resolve the same way
            return None
    fields = {f.name: f for f in target._meta.concrete_fields if f.is_relation}
    organisation_model = apps.get_model("govtrack", "Organisation")
    if "organisation" in fields and fields["organisation"].related_model is organisation_model:
        return base.filter(organisation=organisation)
    for name in ("user", "recipient"):
        if name in fields and fields[name].related_model is user_model:
            members = apps.get_model("govtrack", "Membership").objects.filter(organisation=organisation)
            return base.filter(**{f"{name}__in": members.values("user_id")})
    return None


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _write_records(queryset, handle, chunk: int = 2000) -> None:
    """The records as a JSON array, a chunk at a time, so a national export never sits in memory."""
    handle.write("[")
    first = True
    batch = []
    for record in queryset.iterator(chunk_size=chunk):
        batch.append(record)
        if len(batch) == chunk:
            first = _write_batch(batch, handle, first)
            batch = []
    _write_batch(batch, handle, first)
    handle.write("]\n")


def _write_batch(batch, handle, first: bool) -> bool:
    for row in serializers.serialize("python", batch, use_natural_foreign_keys=True):
        if not first:
            handle.write(",\n")
        json.dump(row, handle, cls=ExactEncoder)
        first = False
    return first


@dataclass
class Summary:
    counts: dict[str, int]
    files: int


def export_all(*, output: Path, organisation=None) -> Summary:
    """Write every record (with history and files), or one organisation's, into ``output``."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty: export into a new folder.")
    (output / "data").mkdir(parents=True, exist_ok=True)
    counts, files = {}, 0
    for model in exported_models():
        queryset = _scoped_queryset(model, organisation)
        if queryset is None:
            continue
        queryset = queryset.order_by("pk")
        label = model._meta.label_lower
        with open(output / "data" / f"{label}.json", "w", encoding="utf-8") as handle:
            _write_records(queryset, handle)
        counts[label] = queryset.count()
        for field in _file_fields(model):
            for name in queryset.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                if name and default_storage.exists(name):
                    target = output / "files" / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
                        shutil.copyfileobj(source, copy)
                    files += 1
    manifest = {"format": FORMAT, "created": timezone.now().isoformat(), "organisation":
                organisation.slug if organisation is not None else None, "counts": counts, "files": files}
    (output / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return Summary(counts=counts, files=files)


def _is_empty() -> bool:
    return not apps.get_model("govtrack", "Organisation")._base_manager.exists()


@transaction.atomic
def import_all(*, source: Path) -> Summary:
    """Restore a folder written by ``export_all`` into an empty, migrated database, files included."""
    source = Path(source)
    manifest_path = source / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{source} has no manifest.json: it is not a govtrack export.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This export is in format {manifest.get('format')!r}; govtrack reads format {FORMAT}.")
    if not _is_empty():
        raise BackupError("The database already holds organisations: restore into an empty, migrated database.")
    fixtures = [str(p) for p in sorted((source / "data").glob("*.json")) if p.stat().st_size > 2]
    if fixtures:
        call_command("loaddata", *fixtures, verbosity=0)
    files = 0
    root = source / "files"
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = str(path.relative_to(root))
            if default_storage.exists(name):
                default_storage.delete(name)
            with open(path, "rb") as handle:
                saved = default_storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"The storage renamed {name} to {saved}; the records would point nowhere.")
            files += 1
    return Summary(counts=manifest.get("counts", {}), files=files)
