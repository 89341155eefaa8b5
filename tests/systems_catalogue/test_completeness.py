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
    assert by_name["Resources"]["fields_percent"] == 75 and by_name["Resources"]["systems_percent"] == 50
    assert by_name[None]["fields_percent"] == 0
    total = completeness.estate_total(rows)
    assert (total["systems"], total["complete"], total["systems_percent"]) == (3, 1, 33)
    assert (total["fields_filled"], total["fields_required"], total["fields_percent"]) == (3, 6, 50)


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


def test_fields_that_do_not_apply_to_a_lifecycle_or_sourcing_are_not_required(org_a, org_b):
    contract_fields = ["contract", "contract_end", "annual_cost"]
    planned = SystemFactory(organisation=org_a, name="Planned", lifecycle="planned")
    in_house = SystemFactory(organisation=org_a, name="In house", sourcing="shared_service")
    bought = SystemFactory(organisation=org_a, name="Bought")
    # By default a planned system, or a service the shared provider runs, needs no contract.
    for system in (planned, in_house):
        result = System.objects.get(pk=system.pk).completeness
        assert not set(contract_fields) & set(result.missing), system.name
        assert result.required_count == len(DEFAULT_REQUIRED_FIELDS) - len(result_exempt(system))
    assert set(contract_fields) <= set(System.objects.get(pk=bought.pk).completeness.missing)
    # A council's own settings decide: here cloud systems need no end-of-support date, planned ones need a contract.
    CatalogueSettings.objects.create(organisation=org_a, required_fields=["contract", "end_of_support_on"],
                                     not_required={"hosting:cloud": ["end_of_support_on"]})
    cloud = SystemFactory(organisation=org_a, name="Cloud", hosting="cloud")
    assert System.objects.get(pk=cloud.pk).completeness.missing == ["contract"]
    assert System.objects.get(pk=planned.pk).completeness.missing == ["end_of_support_on", "contract"]
    # Another organisation keeps the default rule.
    other = SystemFactory(organisation=org_b, lifecycle="planned")
    assert "contract" not in System.objects.get(pk=other.pk).completeness.missing


def result_exempt(system: System) -> set[str]:
    from systems_catalogue.models import default_not_required

    exempt = set()
    for condition, names in default_not_required().items():
        attr, value = condition.split(":")
        if getattr(system, attr) == value:
            exempt |= set(names) & set(DEFAULT_REQUIRED_FIELDS)
    return exempt


def test_settings_page_saves_which_fields_do_not_apply(login, manager_a, org_a):
    from django.urls import reverse

    url = reverse("systems_catalogue:settings", args=["org-a"])
    page = login(manager_a).get(url)
    assert "Not required for: Planned systems" in page.text
    response = login(manager_a).post(url, {"required_fields": ["purpose", "contract"], "review_interval_days": "365",
                                           "not_required_lifecycle_retired": ["contract"]})
    assert response.status_code == 302
    assert CatalogueSettings.objects.get(organisation=org_a).not_required == {"lifecycle:retired": ["contract"]}


def test_the_required_fields_link_shows_only_to_those_who_may_follow_it(login, viewer_a, officer_a, manager_a):
    from django.urls import reverse

    estate = reverse("systems_catalogue:estate", args=["org-a"])
    settings = reverse("systems_catalogue:settings", args=["org-a"])
    for person, may in ((viewer_a, False), (officer_a, False), (manager_a, True)):
        client = login(person)
        shown = settings in client.get(estate).text
        assert shown == may and (client.get(settings).status_code == 200) == may
