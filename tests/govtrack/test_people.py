"""An organisation's admin manages its people and service accounts in the UI."""

import pytest
from django.core import mail
from django.urls import reverse

from govtrack.models import Membership, ServiceAccount


def test_admin_invites_a_new_person_who_gets_a_link_to_set_a_password(
    login, admin_a, org_a, django_capture_on_commit_callbacks
):
    client = login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invite", args=[org_a.slug]),
            {"email": "New.Person@Example.gov.uk", "role": "officer", "first_name": "Nia"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.person@example.gov.uk")
    assert (membership.organisation, membership.role, membership.status) == (org_a, "officer", "invited")
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_inviting_an_existing_member_again_is_refused_with_a_message(login, admin_a, officer_a, org_a):
    response = login(admin_a).post(reverse("invite", args=[org_a.slug]), {"email": officer_a.email, "role": "viewer"})
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert Membership.objects.get(user=officer_a).role == "officer"


def test_inviting_someone_from_another_organisation_adds_a_membership(login, admin_a, officer_b, org_a):
    login(admin_a).post(reverse("invite", args=[org_a.slug]), {"email": officer_b.email, "role": "viewer"})
    assert set(officer_b.memberships.values_list("organisation__slug", flat=True)) == {"org-a", "org-b"}


def test_bad_email_is_shown_beside_the_field_and_nothing_is_created(login, admin_a, org_a):
    response = login(admin_a).post(reverse("invite", args=[org_a.slug]), {"email": "not-an-email", "role": "viewer"})
    assert response.status_code == 200
    assert 'id="id_email-error"' in response.content.decode()
    assert Membership.objects.filter(organisation=org_a).count() == 1


def test_admin_changes_a_role_and_the_change_is_in_the_audit_trail(login, admin_a, officer_a, org_a):
    membership = Membership.objects.get(user=officer_a)
    client = login(admin_a)
    client.post(reverse("membership_edit", args=[org_a.slug, membership.pk]), {"role": "manager", "status": "active"})
    membership.refresh_from_db()
    assert membership.role == "manager"
    page = client.get(reverse("membership_edit", args=[org_a.slug, membership.pk])).content.decode()
    assert "Officer" in page and "Manager" in page and "Audit trail" in page


def test_suspended_person_loses_access_at_once(login, admin_a, officer_a, org_a):
    membership = Membership.objects.get(user=officer_a)
    login(admin_a).post(
        reverse("membership_edit", args=[org_a.slug, membership.pk]), {"role": "officer", "status": "suspended"}
    )
    response = login(officer_a).get(reverse("organisation_detail", args=[org_a.slug]))
    assert response.status_code == 404


def test_the_last_admin_cannot_demote_themselves(login, admin_a, org_a):
    membership = Membership.objects.get(user=admin_a)
    response = login(admin_a).post(
        reverse("membership_edit", args=[org_a.slug, membership.pk]), {"role": "viewer", "status": "active"}
    )
    assert response.status_code == 200
    assert "must keep at least one administrator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "admin"


@pytest.mark.parametrize("persona", ["viewer_a", "officer_a", "manager_a", "auditor_a"])
def test_only_admins_manage_people(request, login, persona, org_a):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("people", args=[org_a.slug])).status_code == 403
    assert (
        client.post(reverse("invite", args=[org_a.slug]), {"email": "x@example.org", "role": "admin"}).status_code
        == 403
    )


def test_admin_of_a_cannot_touch_a_membership_of_b(login, admin_a, officer_b, org_a, org_b):
    membership_b = Membership.objects.get(user=officer_b)
    client = login(admin_a)
    assert client.get(reverse("membership_edit", args=[org_b.slug, membership_b.pk])).status_code == 404
    assert client.get(reverse("membership_edit", args=[org_a.slug, membership_b.pk])).status_code == 404


def test_people_page_runs_a_constant_number_of_queries(login, admin_a, org_a, django_assert_max_num_queries):
    from tests.factories import member

    client = login(admin_a)
    for n in range(3):
        member(org_a, "viewer", f"few-{n}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("people", args=[org_a.slug]))
    for n in range(30):
        member(org_a, "viewer", f"many-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("people", args=[org_a.slug]))
    assert response.content.decode().count("govuk-tag--green") >= 33


def test_admin_creates_a_service_account_and_sees_its_token_once(login, admin_a, org_a, api_client):
    client = login(admin_a)
    response = client.post(
        reverse("service_accounts", args=[org_a.slug]),
        {"name": "Performance feed", "role": "officer", "scope": "read_write"},
    )
    token = response.context["new_token"]
    assert token and token in response.content.decode()
    account = ServiceAccount.objects.get(organisation=org_a)
    assert account.role == "officer"
    assert token not in client.get(reverse("service_accounts", args=[org_a.slug])).content.decode()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_revoking_a_token_stops_it_at_once(login, admin_a, org_a, service_account_a, api_client):
    account, key = service_account_a
    token = account.user.api_tokens.get()
    login(admin_a).post(reverse("service_account_token_revoke", args=[org_a.slug, account.pk, token.pk]))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


def test_suspended_service_account_is_refused(login, admin_a, org_a, service_account_a, token_client):
    account, _token = service_account_a
    login(admin_a).post(reverse("service_account_action", args=[org_a.slug, account.pk, "suspend"]))
    assert token_client.get("/api/v1/me/").status_code == 401


def test_service_account_cannot_be_an_admin(admin_a, org_a):
    from django.core.exceptions import ValidationError

    from govtrack import services

    with pytest.raises(ValidationError):
        services.create_service_account(organisation=org_a, name="Too strong", role="admin", by=admin_a)
