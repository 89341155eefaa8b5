"""The demo catalogue: about 80 Monmouthshire systems, loaded once however often it runs."""

from datetime import date

from django.core.management import call_command

from govtrack.demo import load_kernel
from systems_catalogue import demo
from systems_catalogue.models import Contract, OwnerComment, System


def test_demo_catalogue_is_realistic_and_idempotent(db):
    load_kernel()
    demo.load()
    counts = (System.objects.count(), System.history.count(), Contract.history.count(), OwnerComment.objects.count())
    demo.load()
    assert (
        System.objects.count(),
        System.history.count(),
        Contract.history.count(),
        OwnerComment.objects.count(),
    ) == counts
    mcc = System.objects.filter(organisation__slug="monmouthshire")
    assert 75 <= mcc.count() <= 85
    flo = mcc.get(name="Flo")
    assert flo.directorate.slug == "social-care-and-health"
    # The seeds: CMC2 designed Flo and stopped developing software in 2015; SRS supports it since.
    assert flo.developer.name == "CMC2" and flo.supplier.name == "SRS"
    assert [c.supplier.name for c in flo.contracts_in_force] == ["SRS"]
    assert [(c.supplier.name, c.end_on) for c in flo.ended_contracts] == [("CMC2", date(2015, 3, 23))]
    assert flo.support_status() == System.SupportStatus.SUPPORTED
    assert mcc.get(name="Plant").product == "Flo"
    assert mcc.filter(shared_with__isnull=False).distinct().count() >= 10
    assert Contract.objects.filter(system__in=mcc).ending_within(days=180).exists()
    incomplete = mcc.with_completeness().filter(cmp_missing__gt=0).count()
    assert 10 <= incomplete < mcc.count()
    # No system is incomplete only for lacking a contract it cannot have (planned, in house, national).
    contract_fields = {"contract", "contract_end", "annual_cost"}
    for system in mcc.exclude(sourcing=System.Sourcing.SUPPLIER).with_completeness():
        assert not contract_fields & set(system.completeness.missing), system.name
    for system in mcc.filter(lifecycle=System.Lifecycle.PLANNED).with_completeness():
        assert not contract_fields & set(system.completeness.missing), system.name


def test_demo_completeness_reads_the_same_on_the_list_the_system_and_the_completeness_page(client, db):
    from django.urls import reverse

    from govtrack.models import Organisation
    from systems_catalogue import completeness

    load_kernel()
    demo.load()
    client.force_login(Organisation.objects.get(slug="monmouthshire").memberships.get(user__username="board.member").user)
    summary = completeness.estate_summary(System.objects.filter(organisation__slug="monmouthshire"))
    expected = [
        f"<strong>Systems complete:</strong> {summary['complete']} of {summary['systems']} "
        f"({summary['systems_percent']}%) have every required field.",
        f"<strong>Required fields filled in:</strong> {summary['fields_percent']}% "
        f"({summary['fields_filled']} of {summary['fields_required']}).",
    ]
    assert summary["systems_percent"] != summary["fields_percent"]
    for name in ("systems_catalogue:system_list", "systems_catalogue:estate"):
        page = client.get(reverse(name, args=["monmouthshire"])).text
        for sentence in expected:
            assert sentence in page, name
    flo = System.objects.get(name="Flo")
    page = client.get(flo.get_absolute_url()).text
    assert "Past end of support" not in page and "Developed by" in page and "CMC2" in page
    assert "1 ended contract" in page


def test_load_demo_command_includes_the_catalogue(db, capsys):
    call_command("load_demo")
    assert "Systems catalogue" in capsys.readouterr().out
