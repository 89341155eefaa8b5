"""The demo catalogue: about 80 Monmouthshire systems, loaded once however often it runs."""

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
    assert flo.supplier.name == "CMC2" and flo.directorate.slug == "social-care-and-health"
    assert flo.contracts.filter(supplier__name="SRS").exists()
    assert mcc.get(name="Plant").product == "Flo"
    assert mcc.filter(shared_with__isnull=False).distinct().count() >= 10
    assert Contract.objects.filter(system__in=mcc).ending_within(days=180).exists()
    incomplete = mcc.with_completeness().filter(cmp_missing__gt=0).count()
    assert 10 <= incomplete < mcc.count()


def test_load_demo_command_includes_the_catalogue(db, capsys):
    call_command("load_demo")
    assert "Systems catalogue" in capsys.readouterr().out
