"""Importing and exporting risks through the shared import layer, with Fenland's real register."""


import pytest
from django.core.management import call_command
from django.urls import reverse

from govtrack.imports import import_file
from registers.imports import RiskResource
from registers.models import Risk, RiskAction
from tests.conftest import shared_data_file


@pytest.fixture
def fenland_path():
    """Fenland District Council's published corporate risk register (July 2019)."""
    return shared_data_file("fenland_dc_corporate_risk_register_2019.csv")


@pytest.fixture
def fenland(fenland_path) -> bytes:
    return fenland_path.read_bytes()


def _import(org, user, content, name="register.csv", **kwargs):
    return import_file(resource_class=RiskResource, organisation=org, user=user, content=content, filename=name,
                       **kwargs)


def test_fenland_corporate_register_imports_all_twenty_risks(org_a, manager_a, corporate, fenland):
    preview = _import(org_a, manager_a, fenland)
    assert preview.ok, preview.errors
    assert preview.created == 20 and not Risk.objects.exists()
    assert preview.mapping["risk_owner"] == "officer" and preview.mapping["source_page"] == ""
    outcome = _import(org_a, manager_a, fenland, dry_run=False)
    assert outcome.committed and outcome.created == 20
    risks = {r.reference: r for r in Risk.objects.select_related("register")}
    assert len(risks) == 20 and {r.register for r in risks.values()} == {corporate}
    legislative = risks["1"]
    assert legislative.title == "Legislative changes"
    assert (legislative.inherent_score, legislative.current_score) == (25, 10)
    assert (legislative.current_impact, legislative.current_likelihood) == (2, 5)
    assert legislative.owner_name == "Carol Pilson" and legislative.officer_owner is None
    assert "Horizon scanning" in legislative.existing_controls
    assert legislative.progress.count("\n") >= 3  # multi-paragraph progress comments kept
    assert risks["2"].owner_name == "Peter Catchpole / Carol Pilson"
    assert RiskAction.objects.filter(risk=legislative).count() == 4
    assert all(r.existing_controls for r in risks.values())


def test_importing_fenland_twice_changes_nothing(org_a, manager_a, corporate, fenland):
    _import(org_a, manager_a, fenland, dry_run=False)
    again = _import(org_a, manager_a, fenland, dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)
    assert RiskAction.objects.count() == RiskAction.objects.values("risk", "description").distinct().count()


def test_a_bad_row_reports_row_and_column_and_writes_nothing(org_a, manager_a, corporate):
    content = (
        b"ref,risk,inherent_likelihood,inherent_impact,current_likelihood,current_impact,current_score\n"
        b"A1,Good risk,3,3,2,2,4\n"
        b"A2,Score outside the matrix,3,3,7,2,14\n"
        b"A3,Score that does not add up,3,3,2,2,5\n"
    )
    outcome = _import(org_a, manager_a, content, dry_run=False)
    assert not outcome.committed and not Risk.objects.exists()
    where = {(e.row, e.column) for e in outcome.errors}
    assert (3, "current_likelihood") in where
    assert (4, "current_score") in where


def test_rows_need_a_register(org_a, manager_a):
    content = b"ref,risk,inherent_likelihood,inherent_impact,current_likelihood,current_impact\nA1,X,3,3,2,2\n"
    outcome = _import(org_a, manager_a, content, dry_run=False)
    assert [e.column for e in outcome.errors] == ["register"]


def test_export_then_import_round_trips_unchanged(org_a, manager_a, corporate, project, make_risk, fenland):
    _import(org_a, manager_a, fenland, dry_run=False)
    make_risk(3, 4, reference="FLO-1")
    exported = RiskResource(organisation=org_a, user=manager_a).export()
    assert "register_slug" in exported.headers and len(exported) == 21
    outcome = _import(org_a, manager_a, exported.csv.encode(), dry_run=False)
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (0, 0)
    assert Risk.objects.get(reference="FLO-1").register == project


def test_import_command_takes_a_register_slug(org_a, directorate_register, fenland_path, capsys):
    call_command("import_risks", str(fenland_path), "--organisation", org_a.slug, "--register", "sch")
    assert Risk.objects.filter(register=directorate_register).count() == 20


def test_import_command_says_which_register_and_refuses_a_wrong_one_once(org_a, corporate, directorate_register,
                                                                         fenland_path, capsys):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no register 'nosuch'. Its registers: corporate, sch"):
        call_command("import_risks", str(fenland_path), "--organisation", org_a.slug, "--register", "nosuch")
    assert capsys.readouterr().err.count("\n") <= 1  # one error, not one per row
    assert not Risk.objects.exists()
    call_command("import_risks", str(fenland_path), "--organisation", org_a.slug, "--dry-run")
    assert "Rows without a register column go to Corporate (corporate)." in capsys.readouterr().out


def test_only_managers_reach_the_import_page(login, officer_a, manager_a, org_a, corporate):
    url = reverse("import", args=["org-a", "risks"])
    assert login(officer_a).get(url).status_code == 403
    assert login(manager_a).get(url).status_code == 200


def test_fenland_through_the_upload_preview_and_import_pages(login, manager_a, org_a, corporate, fenland):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(manager_a)
    url = reverse("import", args=["org-a", "risks"])
    upload = SimpleUploadedFile("fenland.csv", fenland, content_type="text/csv")
    preview = client.post(url, {"file": upload, "mapping_name": "Fenland layout"})
    assert preview.status_code == 200 and not Risk.objects.exists()
    outcome = preview.context["outcome"]
    assert outcome.created == 20 and outcome.ok
    data = {"upload_id": preview.context["upload_id"], "action": "import", "header": outcome.headers}
    data.update({f"map-{i}": outcome.mapping[h] for i, h in enumerate(outcome.headers)})
    response = client.post(url, data)
    assert response.status_code == 302
    assert Risk.objects.filter(register=corporate).count() == 20
    from govtrack.models import ColumnMapping

    assert ColumnMapping.objects.get(organisation=org_a, kind="risks").name == "Fenland layout"


def test_exporting_one_register_gives_its_risks_and_those_escalated_to_it(login, manager_a, corporate, project,
                                                                           make_risk):
    make_risk(reference="FLO-1", title="Flo supplier")
    make_risk(register=corporate, reference="CR-1", title="Cyber attack")
    client = login(manager_a)
    flo = client.get(reverse("export", args=["org-a", "risks", "csv"]) + "?register=flo")
    assert "FLO-1" in flo.content.decode() and "CR-1" not in flo.content.decode()
    assert 'filename="org-a-risks-flo.csv"' in flo["Content-Disposition"]
    everything = client.get(reverse("export", args=["org-a", "risks", "csv"])).content.decode()
    assert "FLO-1" in everything and "CR-1" in everything


def test_importing_from_a_register_page_goes_into_that_register_and_back_to_it(login, manager_a, corporate, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(manager_a)
    url = reverse("import", args=["org-a", "risks"]) + f"?register=flo&next={project.get_absolute_url()}"
    sheet = b"Ref,Risk,Inherent likelihood,Inherent impact,Current likelihood,Current impact\nP-7,Delay,3,3,2,2\n"
    preview = client.post(url, {"file": SimpleUploadedFile("flo.csv", sheet, content_type="text/csv")})
    assert preview.context["outcome"].ok, preview.context["outcome"].errors
    outcome = preview.context["outcome"]
    data = {"upload_id": preview.context["upload_id"], "action": "import", "header": outcome.headers}
    data.update({f"map-{i}": outcome.mapping[h] for i, h in enumerate(outcome.headers)})
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert Risk.objects.get(reference="P-7").register == project
