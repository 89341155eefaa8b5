"""The shared import layer, exercised with the directorates importer."""

import io

import openpyxl
import pytest

from govtrack.imports import DirectorateResource, import_file, save_mapping
from govtrack.models import ColumnMapping, Directorate


def run(org, user, text: str, *, dry_run=False, mapping=None, filename="d.csv"):
    content = text.encode() if isinstance(text, str) else text
    return import_file(
        resource_class=DirectorateResource,
        organisation=org,
        user=user,
        content=content,
        filename=filename,
        mapping=mapping,
        dry_run=dry_run,
    )


def test_preview_writes_nothing_and_says_what_would_be_created(org_a, admin_a):
    outcome = run(org_a, admin_a, "Directorate\nResources\nOperations\n", dry_run=True)
    assert outcome.ok and outcome.created == 2 and not outcome.committed
    assert not Directorate.objects.filter(organisation=org_a).exists()


def test_import_creates_rows_and_reimport_changes_nothing(org_a, admin_a):
    assert run(org_a, admin_a, "Directorate\nResources\nOperations\n").created == 2
    again = run(org_a, admin_a, "Directorate\nResources\nOperations\n")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Directorate.objects.filter(organisation=org_a).count() == 2


def test_one_bad_row_writes_nothing_and_names_row_and_column(org_a, admin_a):
    long_name = "x" * 300
    outcome = run(org_a, admin_a, f"Directorate\nResources\n{long_name}\n")
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "Directorate")]
    assert not Directorate.objects.filter(organisation=org_a).exists()


def test_duplicate_rows_are_an_error_not_an_overwrite(org_a, admin_a):
    outcome = run(org_a, admin_a, "Directorate\nResources\nresources\n")
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "Directorate")]
    assert "row 2" in outcome.errors[0].message


def test_unmapped_identifying_column_is_reported(org_a, admin_a):
    outcome = run(org_a, admin_a, "Something else\nResources\n")
    assert not outcome.ok and outcome.errors[0].column == "name"


def test_saved_mapping_maps_an_unusual_header(org_a, admin_a):
    save_mapping(organisation=org_a, kind="directorates", name="HR list", columns={"Service block": "name"}, by=admin_a)
    saved = ColumnMapping.objects.get(organisation=org_a, name="HR list").columns
    outcome = run(org_a, admin_a, "Service block,Notes\nPeople,ignored\n", mapping=saved)
    assert outcome.ok and outcome.created == 1
    assert outcome.mapping == {"Service block": "name", "Notes": ""}


def test_xlsx_is_read_like_csv(org_a, admin_a):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Department"])
    sheet.append(["Enterprise"])
    sheet.append([None])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run(org_a, admin_a, buffer.getvalue(), filename="d.xlsx")
    assert outcome.ok and outcome.created == 1


@pytest.mark.parametrize(("content", "name"), [(b"\x00\x01garbage", "d.xlsx"), (b"a,b", "d.pdf"), (b"", "d.csv")])
def test_unreadable_file_is_a_clear_error(org_a, admin_a, content, name):
    outcome = run(org_a, admin_a, content, filename=name)
    assert not outcome.ok and outcome.errors[0].row == 0


def test_windows_1252_csv_is_read(org_a, admin_a):
    outcome = run(org_a, admin_a, "Directorate\nCyngor – Gwasanaethau\n".encode("cp1252"))
    assert outcome.ok
    assert Directorate.objects.get(organisation=org_a).name == "Cyngor – Gwasanaethau"


def test_import_never_touches_another_organisation(org_a, org_b, admin_a):
    Directorate.objects.create(organisation=org_b, name="Resources", slug="resources")
    outcome = run(org_a, admin_a, "Directorate\nResources\n")
    assert outcome.created == 1
    assert Directorate.objects.filter(name="Resources").count() == 2


def test_upload_preview_then_import_through_the_pages(login, admin_a, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(admin_a)
    upload = SimpleUploadedFile("dirs.csv", b"Department,Head\nResources,x\nEnterprise,y\n", content_type="text/csv")
    response = client.post("/imports/org-a/directorates/", {"file": upload})
    assert response.status_code == 200
    assert b"Would create 2 directorates; update 0; leave 0 unchanged." in response.content
    assert not Directorate.objects.filter(organisation=org_a).exists()
    upload_id = response.context["upload_id"]
    response = client.post(
        "/imports/org-a/directorates/",
        {
            "upload_id": upload_id,
            "header": ["Department", "Head"],
            "map-0": "name",
            "map-1": "",
            "action": "import",
            "mapping_name": "Our list",
        },
    )
    assert response.status_code == 302
    assert set(Directorate.objects.filter(organisation=org_a).values_list("name", flat=True)) == {
        "Resources",
        "Enterprise",
    }
    assert ColumnMapping.objects.get(organisation=org_a, kind="directorates").columns == {
        "Department": "name",
        "Head": "",
    }


def test_import_page_needs_a_manager(login, officer_a, org_a):
    assert login(officer_a).get("/imports/org-a/directorates/").status_code == 403


def test_unknown_import_kind_is_404(login, admin_a, org_a):
    assert login(admin_a).get("/imports/org-a/nothing/").status_code == 404


def test_export_then_import_round_trips_unchanged(login, admin_a, org_a):
    Directorate.objects.create(organisation=org_a, name="Resources", slug="resources")
    response = login(admin_a).get("/imports/org-a/directorates/export.csv")
    assert response.status_code == 200
    outcome = run(org_a, admin_a, response.content)
    assert outcome.ok and (outcome.created, outcome.unchanged) == (0, 1)


def test_export_holds_only_the_organisation_it_names(login, officer_b, org_a, org_b):
    Directorate.objects.create(organisation=org_a, name="Secret A", slug="secret-a")
    Directorate.objects.create(organisation=org_b, name="People", slug="people")
    body = login(officer_b).get("/imports/org-b/directorates/export.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(body))
    names = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert "Secret A" not in names and "People" in names
    assert login(officer_b).get("/imports/org-a/directorates/export.xlsx").status_code == 404
