"""The SLA pages: each party reads, outsiders get 404, the grid saves a month whole, lists keep their query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from slas import services
from slas.models import Agreement, Breach, Measurement
from slas.periods import add_months


@pytest.fixture
def agreed(agreement, availability, fix_time, second_manager_a):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    agreement.refresh_from_db()
    return agreement


def _fill(agreement, months, by):
    for line in agreement.lines.all():
        for n in range(months):
            services.submit_measurement(service_line=line, period=add_months(date(2024, 4, 1), n),
                                        actual=Decimal("90"), by=by)


def test_both_parties_read_an_agreement_and_an_outsider_gets_404(client, agreed, officer_a, provider_officer,
                                                                 officer_b):
    url = agreed.get_absolute_url()
    for person in (officer_a, provider_officer):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200 and agreed.title in response.content.decode()
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    assert client.get(f"/slas/agreements/{agreed.pk}/measurements/").status_code == 404


def test_the_detail_page_runs_a_fixed_number_of_queries(client, agreed, provider_officer,
                                                        django_assert_max_num_queries):
    client.force_login(provider_officer)
    client.get(agreed.get_absolute_url())
    _fill(agreed, 2, provider_officer)
    with django_assert_max_num_queries(30) as small:
        client.get(agreed.get_absolute_url())
    _fill(agreed, 12, provider_officer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(agreed.get_absolute_url())
    assert response.status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(client, partnership, provider, org_a, manager_a,
                                                 django_assert_num_queries):
    client.force_login(manager_a)
    client.get("/slas/org-a/")

    def make(n):
        for i in range(n):
            Agreement.objects.create(title=f"SLA {i}", reference=f"R{Agreement.objects.count()}", provider=provider,
                                     client=org_a)

    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get("/slas/org-a/").status_code == 200
    make(20)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/slas/org-a/")
    assert response.content.decode().count("/slas/agreements/") >= 22
    csv = client.get("/slas/org-a/?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"SLA 19" in csv.content


def test_the_grid_saves_a_month_whole_or_shows_every_error(client, agreed, availability, fix_time,
                                                           provider_officer):
    client.force_login(provider_officer)
    url = f"/slas/agreements/{agreed.pk}/measurements/?period=2024-05"
    page = client.get(url)
    assert page.status_code == 200 and f'name="actual_{availability.pk}"' in page.content.decode()
    response = client.post(url, {"period": "2024-05", f"actual_{availability.pk}": "99.9",
                                 f"actual_{fix_time.pk}": "not a number"})
    assert response.status_code == 200 and not Measurement.objects.exists()
    response = client.post(url, {"period": "2024-05", f"actual_{availability.pk}": "99.9",
                                 f"actual_{fix_time.pk}": "5"})
    assert response.status_code == 302
    assert Measurement.objects.count() == 2 and Breach.objects.get().service_line == fix_time


def test_a_period_outside_the_agreement_is_refused_on_the_grid(client, agreed, availability, provider_officer):
    client.force_login(provider_officer)
    url = f"/slas/agreements/{agreed.pk}/measurements/?period=2022-05"
    response = client.post(url, {"period": "2022-05", f"actual_{availability.pk}": "99.9"})
    assert response.status_code == 200 and "outside the agreement" in response.content.decode()
    assert not Measurement.objects.exists()


def test_approving_from_the_page(client, agreement, availability, second_manager_a, manager_a):
    client.force_login(manager_a)  # the author
    client.post(f"/slas/agreements/{agreement.pk}/do/approve/")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.DRAFT
    client.force_login(second_manager_a)
    client.post(f"/slas/agreements/{agreement.pk}/do/approve/")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.AGREED


def test_the_published_page_speaks_plain_language_in_welsh_too(client, agreed, manager_a, viewer_a):
    agreed.summary, agreed.summary_cy = "The network is there when you need it.", "Mae'r rhwydwaith yno."
    agreed.save()
    url = f"/slas/agreements/{agreed.pk}/published/"
    client.force_login(viewer_a)
    assert client.get(url).status_code == 404
    services.publish_agreement(agreement=agreed, by=manager_a)
    assert "there when you need it" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert "rhwydwaith yno" in client.get(url).content.decode()


def test_the_partnership_view_shows_every_partner_but_not_their_details(client, partnership, agreed, agreement_b,
                                                                        officer_b, provider_officer):
    _fill(agreed, 2, provider_officer)
    client.force_login(officer_b)
    page = client.get(f"/slas/partnerships/{partnership.slug}/").content.decode()
    assert agreed.title not in page and "Monmouthshire" in page
    assert agreement_b.title in page
    client.force_login(provider_officer)
    assert client.get(f"/slas/partnerships/{partnership.slug}/").status_code == 200


def test_a_party_shares_an_agreement_with_the_partnership(client, agreed, manager_a, officer_b):
    client.force_login(officer_b)
    assert client.get(agreed.get_absolute_url()).status_code == 404
    client.force_login(manager_a)
    client.post(f"/slas/agreements/{agreed.pk}/do/share/")
    client.force_login(officer_b)
    assert client.get(agreed.get_absolute_url()).status_code == 200
    assert client.post(f"/slas/agreements/{agreed.pk}/do/unshare/").status_code == 403
    client.force_login(manager_a)
    client.post(f"/slas/agreements/{agreed.pk}/do/unshare/")
    client.force_login(officer_b)
    assert client.get(agreed.get_absolute_url()).status_code == 404


def test_an_agreed_slas_plain_language_text_is_edited_but_not_its_terms(client, agreed, manager_a):
    client.force_login(manager_a)
    page = client.get(f"/slas/agreements/{agreed.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    assert "summary_cy" in form.fields and "annual_charge" not in form.fields
    response = client.post(f"/slas/agreements/{agreed.pk}/edit/", {
        "version": agreed.version, "summary": "Plain words.", "summary_cy": "Geiriau plaen.",
        "annual_charge": "1"})
    assert response.status_code == 302, response.context["form"].errors
    agreed.refresh_from_db()
    assert agreed.summary_cy == "Geiriau plaen." and agreed.annual_charge != 1


def test_a_risk_page_lists_the_slas_that_name_it_for_those_who_may_read_them(login, agreement, officer_a, officer_b,
                                                                             org_a):
    from tests.registers.factories import RegisterFactory, RiskFactory

    risk = RiskFactory(register=RegisterFactory(organisation=org_a))
    agreement.risks.add(risk)
    page = login(officer_a).get(risk.get_absolute_url()).content.decode()
    assert "SLAs about this risk" in page and agreement.get_absolute_url() in page
