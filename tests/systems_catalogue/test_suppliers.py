"""Suppliers are one record per company however a file writes the name, and a manager can merge two."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from govtrack.imports import import_file
from systems_catalogue.imports import SystemResource
from systems_catalogue.models import Contract, Supplier, System, supplier_key
from tests.conftest import shared_data_file
from tests.systems_catalogue.factories import ContractFactory, SupplierFactory, SystemFactory


@pytest.mark.parametrize("a, b", [
    ("Civica", "Civica UK Ltd"), ("CIVICA UK LIMITED", "Civica Uk Ltd"), ("Idox PLc", "IDOX Plc"),
    ("Insight Direct (Uk) Limited", "Insight Direct (UK) Ltd"), ("Phoenix Software Ltd", "PHOENIX SOFTWARE LIMITED"),
])
def test_names_of_one_company_have_one_key(a, b):
    assert supplier_key(a) == supplier_key(b)


def test_different_companies_keep_different_keys():
    assert supplier_key("Capita") != supplier_key("Civica") and supplier_key("Ltd") == "ltd"


def test_a_second_supplier_written_another_way_is_refused(org_a):
    SupplierFactory(organisation=org_a, name="Civica UK Ltd")
    with pytest.raises(ValidationError, match="Civica UK Ltd"):
        Supplier(organisation=org_a, name="CIVICA UK LIMITED").full_clean()


def _import(org, user, *, dry_run=False):
    path = shared_data_file("lancashire_contracts_finder_notices_ict_candidates.csv")
    return import_file(resource_class=SystemResource, organisation=org, user=user, content=path.read_bytes(),
                       filename=path.name, dry_run=dry_run)


def test_contracts_finder_file_maps_its_notice_id_and_url_and_makes_one_civica(org_a, manager_a):
    preview = _import(org_a, manager_a, dry_run=True)
    assert preview.ok, preview.errors[:3]
    assert preview.mapping["id"] == "contract_reference" and preview.mapping["url"] == "contract_notice_url"
    assert not Supplier.objects.exists()
    assert any("“CIVICA UK LIMITED” → Civica UK Ltd" in note for note in preview.notes), preview.notes
    outcome = _import(org_a, manager_a)
    civica = [s.name for s in Supplier.objects.filter(organisation=org_a) if supplier_key(s.name) == "civica"]
    assert len(civica) == 1
    contract = Contract.objects.get(system__name="Customer Housing Portal Software")
    assert contract.reference and contract.notice_url.endswith(contract.reference)
    created = dict((what, n) for n, what in outcome.also_created)
    assert created["suppliers"] == Supplier.objects.filter(organisation=org_a).count() and created["contracts"] == 62
    again = _import(org_a, manager_a)
    assert (again.created, again.updated) == (0, 0) and dict((w, n) for n, w in again.also_created)["suppliers"] == 0
    assert Supplier.objects.filter(organisation=org_a).count() == created["suppliers"]


def test_dry_run_says_what_it_counts_and_verbose_lists_the_mapping(org_a, capsys):
    path = shared_data_file("lancashire_contracts_finder_notices_ict_candidates.csv")
    call_command("import_systems", str(path), "--organisation", org_a.slug, "--dry-run", "-v", "2")
    out = capsys.readouterr().out
    assert "Would create 62 systems, 62 contracts and " in out and "suppliers; update 0;" in out
    assert "  id -> contract_reference" in out and "  council_key -> (not imported)" in out
    assert not System.objects.exists()


def test_a_missing_organisation_lists_the_valid_slugs(org_a, org_b, tmp_path):
    path = tmp_path / "systems.csv"
    path.write_text("name\nFlo\n")
    with pytest.raises(CommandError, match="org-a, org-b"):
        call_command("import_systems", str(path))
    with pytest.raises(CommandError, match="org-a, org-b"):
        call_command("import_systems", str(path), "--organisation", "nosuch")


def test_the_preview_shows_each_columns_label_and_first_value(login, manager_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.csv", b"Application,Contract End\nFlo,2027-03-31\n", content_type="text/csv")
    page = login(manager_a).post(reverse("import", args=["org-a", "systems"]), {"file": upload}).text
    assert '<option value="contract_end" selected>Contract end</option>' in page
    assert ">2027-03-31</td>" in page and "Would create 1 systems" in page


def test_a_manager_merges_two_suppliers_and_the_trail_says_so(login, manager_a, officer_a, org_a):
    keep = SupplierFactory(organisation=org_a, name="Civica UK Ltd")
    duplicate = Supplier.objects.create(organisation=org_a, name="Civica Software")
    system = SystemFactory(organisation=org_a, supplier=duplicate, developer=duplicate)
    contract = ContractFactory(system=system, supplier=duplicate)
    url = reverse("systems_catalogue:supplier_merge", args=[duplicate.pk])
    assert login(officer_a).get(url).status_code == 403
    assert login(officer_a).post(url, {"into": keep.pk}).status_code == 403
    assert url in login(manager_a).get(reverse("systems_catalogue:supplier_list", args=["org-a"])).text
    assert url not in login(officer_a).get(reverse("systems_catalogue:supplier_list", args=["org-a"])).text
    response = login(manager_a).post(url, {"into": keep.pk})
    assert response.status_code == 302
    system.refresh_from_db()
    contract.refresh_from_db()
    duplicate.refresh_from_db()
    assert system.supplier == keep and system.developer == keep and contract.supplier == keep
    assert duplicate.archived_at is not None
    latest = system.history.first()
    assert latest.history_user == manager_a and "merged into Civica UK Ltd" in latest.history_change_reason


def test_a_supplier_cannot_merge_into_another_organisations(login, manager_a, org_b):
    mine = SupplierFactory(organisation=manager_a.memberships.first().organisation, name="Mine")
    theirs = SupplierFactory(organisation=org_b, name="Theirs")
    response = login(manager_a).post(reverse("systems_catalogue:supplier_merge", args=[mine.pk]), {"into": theirs.pk})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.archived_at is None
