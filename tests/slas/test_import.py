"""Hart District Council's outsourced IT KPIs (a real published file) import as an agreement's quarterly figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govtrack.models import Membership, Organisation
from slas.imports import import_measurements, parse_period
from slas.models import Agreement, Breach, Measurement, ServiceLine
from tests.conftest import shared_data_file
from tests.factories import OrganisationFactory, member

HART = "hart_dc_it_service_kpis_2014_long.csv"


@pytest.fixture
def hart(db):
    council = OrganisationFactory(name="Hart District Council", slug="hart")
    capita = OrganisationFactory(name="Capita IT Services", slug="capita", kind=Organisation.Kind.SUPPLIER)
    officer = member(council, Membership.Role.OFFICER, "hart-officer")
    agreement = Agreement.objects.create(title="Hart IT service contract KPIs", reference="HART-IT", provider=capita,
                                         client=council, effective_from=date(2013, 4, 1), owner=officer,
                                         created_by=officer)
    return agreement, officer


def test_financial_quarters_start_in_april():
    assert parse_period("2014/15 Q1") == (date(2014, 4, 1), "quarterly")
    assert parse_period("2013/14 Q4") == (date(2014, 1, 1), "quarterly")
    assert parse_period("2013/14 full year") is None


def test_the_hart_file_imports_as_quarterly_measurements(hart):
    agreement, officer = hart
    content = shared_data_file(HART).read_bytes()
    preview = import_measurements(agreement=agreement, content=content, filename=HART, by=officer, dry_run=True)
    assert preview.ok, preview.errors
    assert not Measurement.objects.exists() and not ServiceLine.objects.exists()
    result = import_measurements(agreement=agreement, content=content, filename=HART, by=officer, dry_run=False)
    assert result.committed and len(result.lines_created) == 7
    # 28 rows: 7 full-year rows are not quarters, and IT06's 0 in 2014/15 Q2 is a gap in the data.
    assert result.created == 20 and len(result.skipped) == 8
    line = ServiceLine.objects.get(agreement=agreement, reference="IT01")
    assert line.period == ServiceLine.Period.QUARTERLY and line.target == 60
    assert list(line.measurements.values_list("period", "actual")) == [
        (date(2014, 1, 1), Decimal("45.8")), (date(2014, 4, 1), Decimal("42.5")), (date(2014, 7, 1), Decimal("79.3"))]
    # Misses: IT01 twice in a row, IT03 in 2014/15 Q1, IT07 in 2014/15 Q1; IT04's 85.8 against 85 is met.
    assert Breach.objects.count() == 4
    assert Breach.objects.get(service_line=line, period=date(2014, 4, 1)).consecutive == 2
    again = import_measurements(agreement=agreement, content=content, filename=HART, by=officer, dry_run=False)
    assert again.created == 0 and again.updated == 20 and Measurement.objects.count() == 20
    assert Breach.objects.count() == 4


def test_a_row_error_imports_nothing(hart):
    agreement, officer = hart
    content = shared_data_file(HART).read_bytes().replace(b"IT Services,%,2014/15 Q1,42.5", b"IT Services,%,"
                                                          b"2014/15 Q1,forty")
    result = import_measurements(agreement=agreement, content=content, filename=HART, by=officer, dry_run=False)
    assert not result.ok and result.errors[0].row == 4 and "forty" in result.errors[0].message
    assert not Measurement.objects.exists() and not ServiceLine.objects.exists()


def test_the_command_imports_the_hart_file(hart):
    agreement, officer = hart
    with pytest.raises(CommandError):
        call_command("import_sla_measurements", str(shared_data_file(HART)), agreement=agreement.pk,
                     user="nobody")
    call_command("import_sla_measurements", str(shared_data_file(HART)), agreement=agreement.pk,
                 user=officer.username)
    assert Measurement.objects.filter(service_line__agreement=agreement).count() == 20


def test_the_upload_page_previews_then_imports(client, hart):
    agreement, officer = hart
    client.force_login(officer)
    url = f"/slas/agreements/{agreement.pk}/import/"
    assert client.get(url).status_code == 200
    with shared_data_file(HART).open("rb") as handle:
        preview = client.post(url, {"file": handle, "action": "preview"})
    assert preview.status_code == 200 and "would add 20 figures" in preview.content.decode()
    upload_id = preview.context["upload_id"]
    mapping = {f"map-{k}": v for k, v in preview.context["result"].mapping.items()}
    done = client.post(url, {"upload_id": upload_id, "action": "import", **mapping})
    assert done.status_code == 302 and Measurement.objects.count() == 20
