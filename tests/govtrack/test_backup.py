"""Everything exportable: export_all then import_all into an empty database gives back every record and file."""

import json
import os
import subprocess

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from govtrack.backup import BackupError, export_all, exported_models, import_all
from govtrack.models import Organisation
from registers.models import Risk
from tests.scopetest.models import Attachment


def _snapshot() -> dict[str, list]:
    """Every exported model's rows, as plain data, by primary key."""
    return {model._meta.label_lower: serializers.serialize("python", model._base_manager.order_by("pk"),
                                                            use_natural_foreign_keys=True)
            for model in exported_models()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


def test_an_export_restored_into_an_empty_database_gives_back_every_record_and_file(transactional_db, media, tmp_path):
    call_command("load_demo")
    org = Organisation.objects.get(slug="monmouthshire")
    attachment = Attachment.objects.create(organisation=org, file=ContentFile(b"%PDF-1.4 evidence", name="e.pdf"))
    before = _snapshot()
    assert sum(len(rows) for rows in before.values()) > 500
    summary = export_all(output=tmp_path / "export")
    assert summary.files == 1 and summary.counts["registers.risk"] == Risk.objects.count()

    call_command("flush", interactive=False, verbosity=0)
    attachment.file.storage.delete(attachment.file.name)
    assert not Organisation.objects.exists()
    import_all(source=tmp_path / "export")

    after = _snapshot()
    assert after == before
    restored = Attachment.objects.get()
    with restored.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 evidence"


def test_a_restore_refuses_a_database_that_is_not_empty(db, media, tmp_path):
    call_command("load_demo")
    export_all(output=tmp_path / "export")
    with pytest.raises(BackupError, match="empty"):
        import_all(source=tmp_path / "export")


def test_one_organisations_export_holds_its_records_and_none_of_anothers(db, media, tmp_path):
    call_command("load_demo")
    call_command("export_all", "--output", str(tmp_path / "mon"), "--organisation", "monmouthshire")
    risks = json.loads((tmp_path / "mon" / "data" / "registers.risk.json").read_text())
    organisations = {row["fields"]["organisation"] for row in risks}
    mon, newport = Organisation.objects.get(slug="monmouthshire"), Organisation.objects.get(slug="newport")
    assert organisations == {mon.pk} and Risk.objects.filter(organisation=newport).exists()
    people = json.loads((tmp_path / "mon" / "data" / "auth.user.json").read_text())
    assert "newport.officer" not in {row["fields"]["username"] for row in people}
    history = json.loads((tmp_path / "mon" / "data" / "registers.historicalrisk.json").read_text())
    assert history and {row["fields"]["organisation"] for row in history} == {mon.pk}
    # The links each history row kept go with it: the restored trail reads as the original.
    links = json.loads((tmp_path / "mon" / "data" / "registers.historicalrisk_systems.json").read_text())
    assert links and {row["fields"]["history"] for row in links} <= {row["pk"] for row in history}


def test_the_commands_name_what_is_wrong(db, tmp_path, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organisation 'nowhere'"):
        call_command("export_all", "--output", str(tmp_path / "x"), "--organisation", "nowhere")
    with pytest.raises(CommandError, match="not a govtrack export"):
        call_command("import_all", str(tmp_path))


@pytest.mark.postgres
@pytest.mark.slow
def test_a_pg_dump_of_govtrack_restores_into_a_new_database(transactional_db, tmp_path):
    call_command("load_demo")
    settings_dict = connection.settings_dict
    env = {**os.environ, "PGHOST": settings_dict["HOST"] or "127.0.0.1", "PGPORT": str(settings_dict["PORT"] or 5432),
           "PGUSER": settings_dict["USER"] or "postgres", "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    dump = tmp_path / "govtrack.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), settings_dict["NAME"]], check=True, env=env)
    restored = f"{settings_dict['NAME']}_restored"
    subprocess.run(["dropdb", "--if-exists", restored], check=True, env=env)
    subprocess.run(["createdb", restored], check=True, env=env)
    try:
        subprocess.run(["pg_restore", "--no-owner", "-d", restored, str(dump)], check=True, env=env)
        count = subprocess.run(["psql", "-At", "-d", restored, "-c", "select count(*) from registers_risk"],
                               check=True, env=env, capture_output=True, text=True).stdout.strip()
        assert int(count) == Risk.objects.count() > 0
        tables = subprocess.run(["psql", "-At", "-d", restored, "-c",
                                 "select count(*) from information_schema.tables where table_schema='public'"],
                                check=True, env=env, capture_output=True, text=True).stdout.strip()
        assert int(tables) >= len(apps.get_models())
    finally:
        subprocess.run(["dropdb", "--if-exists", restored], check=True, env=env)
