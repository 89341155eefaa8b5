"""Importing and exporting the catalogue: preview, row errors, all or nothing, round trips, real data."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from govtrack.imports import export_dataset, import_file, save_mapping
from govtrack.models import ColumnMapping
from systems_catalogue.imports import SystemResource
from systems_catalogue.models import Contract, Supplier, System
from tests.conftest import shared_data_file
from tests.systems_catalogue.factories import CapabilityFactory


@pytest.fixture
def lancashire():
    """Real ICT contract notices of Lancashire councils (Contracts Finder, Open Government Licence)."""
    return shared_data_file("lancashire_contracts_finder_notices_ict_candidates.csv")


SHEET = (
    "Application,Vendor,Directorate,Contract End,Contract Start,Annual licence,Criticality,Notice period\n"
    'Flo,CMC2,Social Care and Health,2027-03-31,2024-04-01,"£12,000",High,3 months\n'
    "Plant,CMC2,social-care-and-health,31/03/2027,01/04/2022,5000,critical,90\n"
)


def run(org, user, text, *, dry_run=False, mapping=None, filename="systems.csv"):
    content = text.encode() if isinstance(text, str) else text
    return import_file(
        resource_class=SystemResource,
        organisation=org,
        user=user,
        content=content,
        filename=filename,
        mapping=mapping,
        dry_run=dry_run,
    )


def test_preview_says_what_would_be_created_and_writes_nothing(org_a, manager_a, directorate_a):
    outcome = run(org_a, manager_a, SHEET, dry_run=True)
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (2, 0)
    assert not System.objects.exists() and not Supplier.objects.exists()


def test_import_creates_systems_with_contracts_and_suppliers(org_a, manager_a, directorate_a):
    outcome = run(org_a, manager_a, SHEET)
    assert outcome.ok and outcome.committed, outcome.errors
    flo = System.objects.get(organisation=org_a, name="Flo")
    assert flo.directorate == directorate_a and flo.criticality == System.Criticality.HIGH
    assert flo.supplier.name == "CMC2" and Supplier.objects.filter(organisation=org_a).count() == 1
    contract = flo.contracts.get()
    assert contract.end_on == date(2027, 3, 31) and contract.notice_period_days == 90
    assert contract.annual_licence_cost == Decimal("12000.00") and contract.supplier == flo.supplier
    assert flo.history.first().history_user == manager_a


def test_reimporting_the_same_file_changes_nothing(org_a, manager_a, directorate_a):
    run(org_a, manager_a, SHEET)
    again = run(org_a, manager_a, SHEET)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Contract.objects.count() == 2


def test_a_changed_contract_value_is_an_update(org_a, manager_a, directorate_a):
    run(org_a, manager_a, SHEET)
    outcome = run(org_a, manager_a, SHEET.replace("5000", "5500"))
    assert (outcome.updated, outcome.unchanged) == (1, 1)
    assert System.objects.get(name="Plant").contracts.get().annual_licence_cost == Decimal("5500.00")


@pytest.mark.parametrize(
    "bad, column",
    [
        ("Flo,CMC2,Nowhere,2027-03-31,2024-04-01,1,High,90", "Directorate"),
        ("Flo,CMC2,Social Care and Health,31/31/2027,2024-04-01,1,High,90", "Contract End"),
        ("Flo,CMC2,Social Care and Health,2027-03-31,2024-04-01,-5,High,90", "Annual licence"),
        ("Flo,CMC2,Social Care and Health,2027-03-31,2024-04-01,1,Vital,90", "Criticality"),
        ("Flo,CMC2,Social Care and Health,2024-03-31,2024-04-01,1,High,90", "Contract End"),
        ("Flo,CMC2,Social Care and Health,2024-06-30,2024-04-01,1,High,120", "Notice period"),
    ],
)
def test_a_bad_row_is_reported_with_row_and_column_and_nothing_is_written(org_a, manager_a, directorate_a, bad, column):
    header, good = SHEET.splitlines()[0], SHEET.splitlines()[2]
    outcome = run(org_a, manager_a, f"{header}\n{good}\n{bad}\n")
    assert not outcome.ok and not outcome.committed
    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)], outcome.errors
    assert not System.objects.exists() and not Contract.objects.exists() and not Supplier.objects.exists()


def test_duplicate_name_in_the_file_is_an_error(org_a, manager_a, directorate_a):
    lines = SHEET.splitlines()
    outcome = run(org_a, manager_a, "\n".join([lines[0], lines[1], lines[1].replace("Flo,", "FLO,")]) + "\n")
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "Application")]
    assert not System.objects.exists()


def test_capabilities_and_owner_are_matched_by_name_and_email(org_a, manager_a, officer_a, directorate_a):
    CapabilityFactory(name="Case management", slug="case-management")
    text = f"name,owner,capabilities\nMosaic,{officer_a.email.upper()},case management\n"
    outcome = run(org_a, manager_a, text)
    assert outcome.ok, outcome.errors
    mosaic = System.objects.get(name="Mosaic")
    assert mosaic.owner == officer_a and [c.name for c in mosaic.capabilities.all()] == ["Case management"]
    bad = run(org_a, manager_a, "name,owner\nMosaic,someone@elsewhere.example\n")
    assert [(e.row, e.column) for e in bad.errors] == [(2, "owner")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips_unchanged(org_a, manager_a, officer_a, directorate_a, fmt):
    CapabilityFactory(name="Case management", slug="case-management")
    run(org_a, manager_a, SHEET)
    flo = System.objects.get(name="Flo")
    flo.owner, flo.hosting, flo.url = officer_a, System.Hosting.CLOUD, "https://flo.example.gov.uk"
    flo.save()
    flo.capabilities.add(*CapabilityFactory._meta.model.objects.all())
    dataset = export_dataset(resource_class=SystemResource, organisation=org_a, user=manager_a)
    assert dataset.headers == SystemResource.column_names()
    content = dataset.export(fmt)
    content = content.encode() if isinstance(content, str) else content
    outcome = run(org_a, manager_a, content, filename=f"export.{fmt}")
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)


def test_export_shows_only_the_organisations_systems(client, login, manager_a, org_b, officer_b, directorate_a):
    run(org_b, officer_b, "name\nNewport payroll\n")
    response = login(manager_a).get(reverse("export", args=["org-a", "systems", "csv"]))
    assert response.status_code == 200
    assert b"Newport payroll" not in response.content


def test_upload_page_previews_and_imports(login, manager_a, directorate_a):
    client = login(manager_a)
    url = reverse("import", args=["org-a", "systems"])
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("s.csv", SHEET.encode(), content_type="text/csv")})
    assert response.status_code == 200
    assert not System.objects.exists()


def test_officer_cannot_use_the_import_page(login, officer_a):
    assert login(officer_a).get(reverse("import", args=["org-a", "systems"])).status_code == 403


LANCASHIRE_MAPPING = {
    "title": "name",
    "description": "purpose",
    "awarded_supplier": "supplier",
    "awarded_value": "total_contract_value",
    "awarded_date": "awarded_on",
    "id": "contract_reference",
    "url": "contract_notice_url",
}


def test_real_contracts_finder_notices_import_through_a_saved_mapping(org_a, manager_a, lancashire):
    columns = {
        header: LANCASHIRE_MAPPING.get(header, "") for header in lancashire.read_text().splitlines()[0].split(",")
    }
    save_mapping(organisation=org_a, kind="systems", name="Contracts Finder", columns=columns, by=manager_a)
    saved = ColumnMapping.objects.get(organisation=org_a, kind="systems", name="Contracts Finder").columns
    outcome = run(org_a, manager_a, lancashire.read_bytes(), mapping=saved, filename=lancashire.name)
    assert outcome.ok, outcome.errors[:5]
    assert outcome.created == 62 and System.objects.filter(organisation=org_a).count() == 62
    housing = System.objects.get(name="Customer Housing Portal Software")
    contract = housing.contracts.get()
    assert housing.supplier.name == "Civica UK Ltd" and contract.total_value == Decimal("290000.00")
    assert contract.awarded_on == date(2017, 8, 31)
    # What the notices lack shows as incomplete, not as errors.
    assert "directorate" in housing.completeness.missing and "contract_end" in housing.completeness.missing
    again = run(org_a, manager_a, lancashire.read_bytes(), mapping=saved, filename=lancashire.name)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 62)


def test_command_imports_and_a_dry_run_writes_nothing(org_a, directorate_a, tmp_path):
    path = tmp_path / "systems.csv"
    path.write_text(SHEET)
    call_command("import_systems", str(path), "--organisation", org_a.slug, "--dry-run")
    assert not System.objects.exists()
    call_command("import_systems", str(path), "--organisation", org_a.slug)
    assert System.objects.count() == 2
    path.write_text(SHEET.replace("2027-03-31", "not a date"))
    with pytest.raises(CommandError):
        call_command("import_systems", str(path), "--organisation", org_a.slug)


def test_columns_are_documented(login, viewer_a):
    response = login(viewer_a).get(reverse("systems_catalogue:import_columns"))
    assert response.status_code == 200
    for column in SystemResource.column_names():
        assert f"<code>{column}</code>" in response.text
    assert "Vendor" in response.text and "Contract End" in response.text


def test_upload_preview_choose_mapping_save_it_and_import(login, manager_a, org_a, lancashire):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(manager_a)
    url = reverse("import", args=["org-a", "systems"])
    upload = SimpleUploadedFile(lancashire.name, lancashire.read_bytes(), content_type="text/csv")
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200, preview.context["outcome"].errors[:3]
    outcome = preview.context["outcome"]
    assert (
        outcome.created == 62
        and outcome.mapping["title"] == "name"
        and outcome.mapping["awarded_supplier"] == "supplier"
    )
    assert not System.objects.exists()
    headers = outcome.headers
    data = {"upload_id": preview.context["upload_id"], "action": "import", "mapping_name": "Contracts Finder"}
    data["header"] = headers
    for index, header in enumerate(headers):
        data[f"map-{index}"] = LANCASHIRE_MAPPING.get(header, "")
    response = client.post(url, data)
    assert response.status_code == 302
    assert System.objects.filter(organisation=org_a).count() == 62
    assert Contract.objects.filter(notice_url__startswith="https://www.contractsfinder").count() == 62
    assert ColumnMapping.objects.get(organisation=org_a, kind="systems", name="Contracts Finder").columns["id"] == (
        "contract_reference"
    )


def test_excel_cells_with_real_dates_and_numbers_import(org_a, manager_a, directorate_a):
    import io
    from datetime import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Application", "Directorate", "Contract Start", "Contract End", "Notice period", "Contract value"])
    sheet.append(["Flo", "Social Care and Health", datetime(2024, 4, 1), datetime(2027, 3, 31), 90, 114000.5])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run(org_a, manager_a, buffer.getvalue(), filename="catalogue.xlsx")
    assert outcome.ok, outcome.errors
    contract = Contract.objects.get()
    assert contract.end_on == date(2027, 3, 31) and contract.notice_period_days == 90
    assert contract.total_value == Decimal("114000.50")


def _many(count: int, *, start: int = 1, cost: int = 1000, owner: str = "", capability: str = "") -> str:
    """A sheet of ``count`` systems, each with a contract, naming the same directorate, supplier and owner."""
    lines = ["name,directorate,owner,supplier,capabilities,contract_reference,contract_start,contract_end,"
             "annual_licence_cost"]
    for n in range(start, start + count):
        lines.append(f"System {n:03d},Social Care and Health,{owner},Civica UK Ltd,{capability},REF-{n:03d},"
                     f"2024-04-01,2027-03-31,{cost + n}")
    return "\n".join(lines) + "\n"


def _queries(org, user, text) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        outcome = run(org, user, text)
    assert outcome.ok and outcome.committed, outcome.errors
    return len(queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows(org_a, manager_a, officer_a, directorate_a):
    CapabilityFactory(name="Case management", slug="case-management")
    extra = {"owner": officer_a.email, "capability": "Case management"}
    run(org_a, manager_a, "name\nFirst\n")  # the importer's roles are read once, on the first import
    # Each file adds its systems, their contracts and one new supplier.
    few = _queries(org_a, manager_a, _many(5, **extra))
    many = _queries(org_a, manager_a, _many(25, start=100, **extra).replace("Civica UK Ltd", "Capita plc"))
    assert many == few, (few, many)
    assert System.objects.filter(organisation=org_a).count() == 31 and Contract.objects.count() == 30
    # Changing every row (a new contract cost, no capability any more) is as few queries for 5 rows as for 25.
    changed_few = _queries(org_a, manager_a, _many(5, cost=2000, owner=officer_a.email))
    changed_many = _queries(org_a, manager_a, _many(25, start=100, cost=2000, owner=officer_a.email)
                            .replace("Civica UK Ltd", "Capita plc"))
    assert changed_many == changed_few, (changed_few, changed_many)
    system = System.objects.get(name="System 101")
    assert system.contracts.get().annual_licence_cost == Decimal("2101.00") and not system.capabilities.exists()
    # And so is reading a file again that changes nothing.
    again_few = _queries(org_a, manager_a, _many(5, cost=2000, owner=officer_a.email))
    again_many = _queries(org_a, manager_a, _many(25, start=100, cost=2000, owner=officer_a.email)
                          .replace("Civica UK Ltd", "Capita plc"))
    assert again_many == again_few, (again_few, again_many)


def test_every_imported_and_changed_record_has_one_audit_trail_row_by_the_importer(
        org_a, manager_a, officer_a, directorate_a):
    run(org_a, manager_a, _many(3))
    # The first two contracts cost more; the third system gets an owner and keeps its contract as it was.
    lines = _many(3, cost=5000).splitlines()
    lines[3] = _many(3, owner=officer_a.username).splitlines()[3]
    run(org_a, manager_a, "\n".join(lines) + "\n")
    flo = System.objects.get(name="System 001")
    assert [(h.history_type, h.history_user, h.version) for h in flo.history.order_by("history_id")] == [
        ("+", manager_a, 1), ("~", manager_a, 2)]
    contract = flo.contracts.get()
    assert [(h.history_type, h.history_user) for h in contract.history.order_by("history_id")] == [
        ("+", manager_a), ("~", manager_a)]
    assert contract.version == 2 and contract.annual_licence_cost == Decimal("5001.00")
    # A contract the row leaves as it was gets no new row in the trail; its system does.
    third = System.objects.get(name="System 003")
    assert third.owner == officer_a and third.history.count() == 2
    unchanged = third.contracts.get()
    assert unchanged.history.count() == 1 and unchanged.version == 1


def test_a_name_another_system_has_in_another_case_is_refused_with_row_and_column(org_a, manager_a, directorate_a):
    run(org_a, manager_a, SHEET)
    outcome = run(org_a, manager_a, SHEET.replace("Plant,", "PLANT,"))
    assert not outcome.committed
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (3, "Application", "This organisation already has a system with this name.")]


def test_an_import_never_links_another_organisations_directorate_supplier_or_owner(
        org_a, manager_a, org_b, officer_b, directorate_a):
    from govtrack.models import Directorate

    Directorate.objects.create(organisation=org_b, name="Newport Housing", slug="newport-housing")
    theirs = Supplier.objects.create(organisation=org_b, name="Newport Software Ltd")
    outcome = run(org_a, manager_a, f"name,directorate,owner\nFlo,Newport Housing,{officer_b.email}\n")
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "directorate"), (2, "owner")], outcome.errors
    outcome = run(org_a, manager_a, "name,supplier\nFlo,Newport Software Ltd\n")
    assert outcome.ok and outcome.committed
    supplier = System.objects.get(organisation=org_a, name="Flo").supplier
    assert supplier != theirs and supplier.organisation == org_a


@pytest.mark.parametrize("cell, day", [("2027-03-31", date(2027, 3, 31)), ("31/03/2027", date(2027, 3, 31)),
                                       ("2027-3-1", date(2027, 3, 1)), ("1 March 2027", date(2027, 3, 1))])
def test_dates_are_read_as_councils_write_them(cell, day):
    from systems_catalogue.imports import parse_date

    assert parse_date(cell) == day


@pytest.mark.parametrize("cell", ["2027-02-30", "31/31/2027", "next year"])
def test_a_date_that_does_not_exist_is_refused_with_the_formats_to_use(cell):
    from systems_catalogue.imports import parse_date

    with pytest.raises(ValueError, match="is not a date; write it as 31/03/2027 or 2027-03-31"):
        parse_date(cell)
