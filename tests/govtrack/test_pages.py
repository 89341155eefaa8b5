"""The kernel's pages as people use them."""

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from govtrack import pages
from govtrack.models import Notification, Organisation, notify
from govtrack.notifications import already_sent, send_digests
from govtrack.pages import record_path
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def test_sign_in_page_is_friendly_and_signing_in_lands_on_the_start_page(client, officer_a, settings):
    settings.AXES_ENABLED = False
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "Sign in to govtrack" in page.content.decode()
    response = client.post(reverse("login"), {"username": "officer-a", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_wrong_password_says_so_without_a_500(client, officer_a, settings):
    settings.AXES_ENABLED = False
    response = client.post(reverse("login"), {"username": "officer-a", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_repeated_failures_lock_the_account(client, officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "officer-a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer-a", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_sign_out_is_a_post(login, officer_a):
    client = login(officer_a)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_switcher_lists_only_my_organisations_and_switches(login, org_a, org_b, officer_a):
    MembershipFactory(user=officer_a, organisation=org_b, role="viewer")
    client = login(officer_a)
    home = client.get(reverse("dashboard")).content.decode()
    assert 'value="org-a"' in home and 'value="org-b"' in home
    response = client.post(reverse("switch_organisation"), {"organisation": "org-b", "next": "/organisations/"})
    assert response.url == "/organisations/"
    assert '<h1 class="govuk-heading-xl">Newport City Council</h1>' in client.get("/").content.decode()


def test_switching_to_an_organisation_i_am_not_in_is_404(login, officer_a, org_b):
    assert login(officer_a).post(reverse("switch_organisation"), {"organisation": "org-b"}).status_code == 404


def test_switcher_refuses_an_outside_redirect(login, officer_a, org_a):
    response = login(officer_a).post(
        reverse("switch_organisation"), {"organisation": "org-a", "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard")


def test_organisation_page_shows_its_audit_trail(login, admin_a, org_a):
    org_a.website = "https://www.monmouthshire.gov.uk"
    org_a._history_user = admin_a
    org_a.save()
    page = login(admin_a).get(org_a.get_absolute_url()).content.decode()
    assert "Audit trail" in page and "https://www.monmouthshire.gov.uk" in page and admin_a.get_full_name() in page


def test_archiving_keeps_the_record_and_its_history(org_a, admin_a):
    org_a.archive(by=admin_a)
    org = Organisation.objects.get(pk=org_a.pk)
    assert org.is_archived and org.archived_by == admin_a
    assert org.history.count() == 2
    org.restore(by=admin_a)
    assert not Organisation.objects.get(pk=org_a.pk).is_archived


def test_friendly_404_page(login, officer_a):
    response = login(officer_a).get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_welsh_interface(login, officer_a):
    client = login(officer_a)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="cy"' in page
    assert "Hysbysiadau" in page  # Notifications


def test_notify_is_idempotent_per_key(officer_a, org_a):
    assert notify(recipient=officer_a, key="review:1", subject="Review due", organisation=org_a) is True
    assert notify(recipient=officer_a, key="review:1", subject="Review due", organisation=org_a) is False
    assert Notification.objects.filter(recipient=officer_a).count() == 1


def test_daily_digest_sends_one_email_per_person_once(officer_a, manager_a):
    notify(recipient=officer_a, key="a", subject="Risk R1 review overdue", url="/registers/")
    notify(recipient=officer_a, key="b", subject="Contract for Flo ends in 90 days")
    notify(recipient=manager_a, key="c", subject="Escalation waiting")
    assert send_digests() == 2
    assert send_digests() == 0
    officer_mail = next(m for m in mail.outbox if m.to == [officer_a.email])
    assert "Risk R1 review overdue" in officer_mail.body and "Contract for Flo" in officer_mail.body


def test_notifications_page_and_mark_read(login, officer_a):
    notify(recipient=officer_a, key="a", subject="Review due")
    client = login(officer_a)
    assert "Review due" in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notifications_read"))
    assert not Notification.objects.filter(recipient=officer_a, read_at__isnull=True).exists()


def test_start_page_runs_a_constant_number_of_queries(login, officer_a):
    """The same queries with one organisation or sixteen; each app's dates add a query or two of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganisationFactory

    client = login(officer_a)
    counts = []
    for extra in (1, 15):
        for org in OrganisationFactory.create_batch(extra):
            MembershipFactory(user=officer_a, organisation=org, role="viewer")
        client.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboard"))
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 25


def test_healthz_answers(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_pages_send_a_strict_content_security_policy(login, officer_a):
    policy = login(officer_a).get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def _broken_view(request):
    raise RuntimeError("something broke")


urlpatterns = [__import__("django.urls").urls.path("broken/", _broken_view)]


def test_server_error_shows_a_friendly_page_in_both_languages(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with govtrack" in page and 'lang="cy"' in page
    assert "RuntimeError" not in page


def test_an_organisation_is_named_in_welsh_to_a_welsh_reader_and_in_english_otherwise(login, viewer_a, org_a):
    from django.utils import translation

    org_a.name_cy, org_a.short_name_cy = "Cyngor Sir Fynwy", "Sir Fynwy"
    org_a.save()
    client = login(viewer_a)
    assert "Monmouthshire County Council" in client.get(org_a.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "cy"
    welsh = client.get(org_a.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Cyngor Sir Fynwy" in welsh
    with translation.override("cy"):
        assert (str(org_a), org_a.display_name) == ("Cyngor Sir Fynwy", "Sir Fynwy")
    org_a.short_name_cy = ""
    with translation.override("cy"):
        assert org_a.display_name == "Monmouthshire"  # no Welsh given: the English one


@pytest.mark.parametrize("viewname", ["registers:risk_detail", "systems_catalogue:system_detail",
                                      "proposals:action_detail", "slas:agreement_detail"])
def test_record_path_gives_the_path_reverse_gives(viewname):
    path = record_path(viewname)
    for pk in (1, 42, 2_147_483_647, 10**12):
        assert path(pk) == reverse(viewname, kwargs={"pk": pk})
    with translation.override("cy"):
        assert record_path(viewname)(7) == reverse(viewname, kwargs={"pk": 7})


def test_already_sent_finds_stored_pairs_only(org_a):
    one, other = UserFactory(), UserFactory()
    notify(recipient=one, key="k:1", subject="One", organisation=org_a)
    assert already_sent([(one.pk, "k:1"), (other.pk, "k:1"), (one.pk, "k:2")]) == {(one.pk, "k:1")}


def test_several_lists_of_one_queryset_come_with_their_first_rows_and_totals_in_one_query(db):
    for name in ("Alpha 1", "Alpha 2", "Alpha 3", "Alpha 4", "Beta 1", "Beta 2", "Gamma"):
        OrganisationFactory(name=name, slug=name.lower().replace(" ", "-"))
    with CaptureQueriesContext(connection) as queries:
        found = pages.first_and_totals(Organisation.objects.all(), {
            "alphas, last first": (Q(name__startswith="Alpha"), ("-name",)),
            "betas and the first alpha": (Q(name__startswith="Beta") | Q(name="Alpha 1"), ("name",)),
            "none": (Q(name="Delta"), ("name",)),
        }, 2)
    assert len(queries.captured_queries) == 1
    names = {list_: ([o.name for o in rows], total) for list_, (rows, total) in found.items()}
    assert names == {"alphas, last first": (["Alpha 4", "Alpha 3"], 4),
                     "betas and the first alpha": (["Alpha 1", "Beta 1"], 3), "none": ([], 0)}
