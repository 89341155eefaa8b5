"""The completeness score: one rule over the fields each organisation requires."""

from systems_catalogue import completeness
from systems_catalogue.models import DEFAULT_REQUIRED_FIELDS, CatalogueSettings, System
from tests.factories import DirectorateFactory
from tests.systems_catalogue.factories import CompleteSystemFactory, ContractFactory, SystemFactory


def test_complete_system_scores_100_with_nothing_missing(org_a):
    system = CompleteSystemFactory(organisation=org_a)
    result = System.objects.get(pk=system.pk).completeness
    assert result.missing == [] and result.score == 100


def test_bare_system_misses_every_default_field(org_a):
    system = SystemFactory(organisation=org_a)
    result = system.completeness
    assert result.missing == DEFAULT_REQUIRED_FIELDS
    assert result.score == 0


def test_score_counts_filled_fields_over_required(org_a):
    required = ["purpose", "directorate", "owner", "contract"]
    CatalogueSettings.objects.create(organisation=org_a, required_fields=required)
    system = SystemFactory(organisation=org_a, purpose="Payroll", directorate=DirectorateFactory(organisation=org_a))
    result = System.objects.with_completeness().get(pk=system.pk).completeness
    assert result.missing == ["owner", "contract"]
    assert result.score == 50


def test_archived_contract_does_not_count(org_a):
    CatalogueSettings.objects.create(organisation=org_a, required_fields=["contract"])
    system = SystemFactory(organisation=org_a)
    contract = ContractFactory(system=system)
    assert system.completeness.score == 100
    contract.archive(by=None)
    assert System.objects.get(pk=system.pk).completeness.missing == ["contract"]


def test_each_organisation_is_scored_on_its_own_required_fields(org_a, org_b):
    CatalogueSettings.objects.create(organisation=org_b, required_fields=["purpose"])
    a = SystemFactory(organisation=org_a, purpose="Payroll")
    b = SystemFactory(organisation=org_b, purpose="Payroll")
    scores = {s.pk: s.completeness for s in System.objects.with_completeness()}
    assert scores[b.pk].score == 100
    assert scores[a.pk].score == 100 // len(DEFAULT_REQUIRED_FIELDS)


def test_incomplete_filter_and_per_directorate_estate(org_a):
    directorate = DirectorateFactory(organisation=org_a, name="Resources")
    CatalogueSettings.objects.create(organisation=org_a, required_fields=["purpose", "directorate"])
    SystemFactory(organisation=org_a, purpose="Payroll", directorate=directorate)
    SystemFactory(organisation=org_a, directorate=directorate)
    SystemFactory(organisation=org_a)
    qs = System.objects.with_completeness()
    assert qs.filter(cmp_missing__gt=0).count() == 2
    rows = completeness.estate_by_directorate(System.objects.all())
    by_name = {r["directorate__name"]: r for r in rows}
    assert by_name["Resources"]["systems"] == 2 and by_name["Resources"]["complete"] == 1
    assert by_name["Resources"]["score"] == 75
    assert by_name[None]["score"] == 0
    assert completeness.estate_total(rows) == {"systems": 3, "complete": 1, "score": 50}


def test_missing_by_field_and_the_work_list_filtered_by_field(login, viewer_a, org_a):
    from django.urls import reverse

    CatalogueSettings.objects.create(organisation=org_a, required_fields=["purpose", "owner"])
    SystemFactory(organisation=org_a, name="A", purpose="Payroll")
    SystemFactory(organisation=org_a, name="B")
    rows = completeness.missing_by_field(System.objects.all())
    assert [(r["field"], r["systems"]) for r in rows] == [("owner", 2), ("purpose", 1)]
    client = login(viewer_a)
    response = client.get(reverse("systems_catalogue:missing_list", args=["org-a"]) + "?field=purpose")
    assert [s.name for s in response.context["object_list"]] == ["B"]
    assert client.get(reverse("systems_catalogue:estate", args=["org-a"])).context["by_field"] == rows
