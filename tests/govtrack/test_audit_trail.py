"""The audit trail reads like a record: dates and money as the page writes them, numbers without stored
zeros, and a long history folded after its ten latest changes."""

from datetime import date
from decimal import Decimal

from govtrack import audit
from systems_catalogue.models import Contract
from tests.systems_catalogue.factories import ContractFactory, SystemFactory


def test_dates_and_money_read_as_on_the_page(org_a, officer_a):
    contract = ContractFactory(system=SystemFactory(organisation=org_a), start_on=date(2015, 6, 1),
                               annual_support_cost=Decimal("45000.00"))
    changes = {c.label: c.new for c in audit.history_for(contract)[0].changes}
    assert changes["Start"] == "1 Jun 2015"
    assert changes["Annual support cost (£)"] == "£45,000", changes


def test_a_long_history_folds_after_the_latest_ten(client, login, org_a, manager_a):
    system = SystemFactory(organisation=org_a, owner=manager_a)
    for n in range(14):
        system.purpose = f"Purpose {n}"
        system.save()
    page = login(manager_a).get(system.get_absolute_url()).content.decode()
    assert "5 earlier changes" in page  # 15 records: the creation and 14 edits
    history = page[page.index('id="history"'):]
    assert history.index("Purpose 13") < history.index("earlier changes") < history.index("Purpose 2")


def test_field_names_in_the_trail_are_labels(org_a):
    contract = ContractFactory(system=SystemFactory(organisation=org_a))
    labels = {c.label for c in audit.history_for(contract)[0].changes}
    assert not {f.name for f in Contract._meta.fields} & labels - {"reference"}
