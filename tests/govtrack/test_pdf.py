"""WeasyPrint, with the system libraries bin/setup installs, turns HTML into a PDF with real text."""

import shutil
import subprocess

import pytest
from weasyprint import HTML


def test_weasyprint_renders_a_pdf_whose_text_can_be_read_back(tmp_path):
    pdf = HTML(string="<h1>Board pack</h1><p>Monmouthshire County Council – Digital Board</p>").write_pdf()
    assert pdf.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Board pack" in text and "Digital Board" in text
