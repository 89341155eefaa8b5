"""WeasyPrint, with the system libraries bin/setup installs, turns HTML into a PDF."""

from weasyprint import HTML


def test_weasyprint_renders_a_pdf_with_a_font():
    pdf = HTML(string="<h1>Board pack</h1><p>Monmouthshire County Council – Digital Board</p>").write_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert b"/FontFile" in pdf or b"/FontDescriptor" in pdf
