"""Imports never guess: a score that is not a whole number, an unknown encoding or a missing reference is said."""

import codecs

import pytest
from django.core.management import call_command

from govtrack.imports import import_file
from registers.imports import RiskResource
from registers.models import Risk

HEADER = "Risk,Inherent likelihood,Inherent impact,Current likelihood,Current impact"


def _import(org, user, text_or_bytes, *, name="register.csv", **kwargs):
    content = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return import_file(resource_class=RiskResource, organisation=org, user=user, content=content, filename=name,
                       **kwargs)


@pytest.mark.parametrize(("cell", "message"), [
    ("2.5", "2.5 is not a whole number between 1 and 5."),
    ("abc", "abc is not a whole number between 1 and 5."),
    ("7", "7 is not a whole number between 1 and 5."),
    ("0", "0 is not a whole number between 1 and 5."),
])
def test_a_score_that_is_not_a_whole_number_on_the_scale_is_a_row_error(org_a, manager_a, corporate, cell, message):
    outcome = _import(org_a, manager_a, f"Ref,{HEADER}\nR1,Cyber attack,3,4,{cell},3\n", dry_run=False)
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [(2, "Current likelihood", message)]
    assert not Risk.objects.exists()


def test_a_whole_number_written_as_a_decimal_is_read_exactly(org_a, manager_a, corporate):
    outcome = _import(org_a, manager_a, f"Ref,{HEADER}\nR1,Cyber attack,3.0,4,2,3\n", dry_run=False)
    assert outcome.ok, outcome.errors
    assert Risk.objects.get().inherent_likelihood == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_a_csv_in_each_encoding_councils_use_reads_the_same(org_a, manager_a, corporate, encoding):
    title = "Cynllunio – £2m gwasanaeth café" if encoding != "cp1252" else "Planning – £2m café service"
    content = f"Ref,{HEADER}\nR1,{title},3,4,2,3\n".encode(encoding)
    if encoding == "utf-16-le":
        content = content  # no byte-order mark: recognised by its zero bytes
    outcome = _import(org_a, manager_a, content, dry_run=False)
    assert outcome.ok, outcome.errors
    assert Risk.objects.get().title == title


def test_a_file_that_is_not_text_is_refused_clearly(org_a, manager_a, corporate):
    outcome = _import(org_a, manager_a, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert len(outcome.errors) == 1
    assert "CSV UTF-8" in outcome.errors[0].message


def test_a_control_character_in_a_title_is_a_row_error(org_a, manager_a, corporate):
    outcome = _import(org_a, manager_a, f"Ref,{HEADER}\nR1,Nul\x00byte,3,4,2,3\n", dry_run=False)
    assert outcome.errors and "control character" in outcome.errors[0].message
    assert not Risk.objects.exists()


def test_a_register_without_references_needs_the_option_then_imports_with_made_up_ones(org_a, manager_a, corporate):
    sheet = f"{HEADER}\nCyber attack,3,4,2,3\nSupplier failure,4,4,4,3\n"
    refused = _import(org_a, manager_a, sheet)
    assert [e.column for e in refused.errors] == ["reference"]
    preview = _import(org_a, manager_a, sheet, options={"generate_references": "yes"})
    assert preview.ok and [r.label for r in preview.rows] == ["CORPORATE-001 Cyber attack",
                                                              "CORPORATE-002 Supplier failure"]
    assert _import(org_a, manager_a, sheet, options={"generate_references": "yes"}, dry_run=False).created == 2
    again = _import(org_a, manager_a, sheet, options={"generate_references": "yes"}, dry_run=False)
    assert (again.created, again.unchanged) == (0, 2)
    assert sorted(Risk.objects.values_list("reference", flat=True)) == ["CORPORATE-001", "CORPORATE-002"]


def test_the_command_takes_the_option_too(org_a, manager_a, corporate, tmp_path, capsys):
    path = tmp_path / "published.csv"
    path.write_text(f"{HEADER}\nCyber attack,3,4,2,3\n", encoding="utf-8")
    call_command("import_risks", str(path), "--organisation", org_a.slug, "--generate-references")
    assert Risk.objects.get().reference == "CORPORATE-001"


def test_utf16_without_a_bom_is_recognised():
    from govtrack.cells import decode_text

    text, encoding = decode_text("Ref,Risk\nR1,Café\n".encode("utf-16-be"))
    assert (text, encoding) == ("Ref,Risk\nR1,Café\n", "UTF-16")
    assert decode_text(codecs.BOM_UTF8 + b"x")[1] == "UTF-8"
