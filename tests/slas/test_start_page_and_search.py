"""SLAs on the start page (approvals waiting) and in search."""

from slas.models import Agreement


def test_an_sla_under_negotiation_waits_for_another_client_manager(login, agreement, availability, manager_a,
                                                                   second_manager_a, manager_b):
    agreement.status = Agreement.Status.NEGOTIATING
    agreement.save()
    page = login(second_manager_a).get("/").content.decode()
    assert "Approve the SLA Monmouthshire IT service SLA" in page and agreement.get_absolute_url() in page
    # Its author does not approve it; another organisation's manager never sees it.
    assert "Approve the SLA" not in login(manager_a).get("/").content.decode()
    assert "Approve the SLA" not in login(manager_b).get("/").content.decode()


def test_search_finds_agreements_of_the_persons_organisations_only(login, agreement, agreement_b, officer_a):
    page = login(officer_a).get("/search/", {"q": "SLA"}).content.decode()
    assert "Agreements (SLAs) (1)" in page and "Monmouthshire IT service SLA" in page
    assert "Newport IT service SLA" not in page
