"""The one permission rule, for every role and two organisations."""

import pytest
from django.urls import reverse

from govtrack import access
from govtrack.models import Directorate, Membership
from govtrack.scoping import Scope
from tests.factories import DirectorateFactory

ALL_ROLES_A = ["viewer_a", "officer_a", "manager_a", "auditor_a", "admin_a"]


@pytest.fixture
def directorate_a(org_a):
    return DirectorateFactory(organisation=org_a, name="Social Care and Health", slug="social-care")


@pytest.fixture
def directorate_b(org_b):
    return DirectorateFactory(organisation=org_b, name="People", slug="people")


@pytest.mark.parametrize("persona", ALL_ROLES_A)
def test_every_role_sees_its_own_organisation_and_nothing_of_another(request, persona, directorate_a, directorate_b):
    user = request.getfixturevalue(persona)
    visible = list(Directorate.objects.visible_to(user))
    assert visible == [directorate_a]


@pytest.mark.parametrize(
    ("persona", "may_change"),
    [("viewer_a", False), ("officer_a", False), ("manager_a", True), ("auditor_a", False), ("admin_a", True)],
)
def test_only_managers_and_admins_change_records_they_do_not_own(request, persona, may_change, directorate_a):
    user = request.getfixturevalue(persona)
    assert access.can_change(user, directorate_a) is may_change


@pytest.fixture
def headed_by_owner(monkeypatch):
    """Directorates whose head may change them as an officer (the scope's ``owners``)."""
    monkeypatch.setattr(Directorate, "scope", Scope(owners=("head",)))


def test_officer_changes_a_record_they_own(officer_a, directorate_a, headed_by_owner):
    assert not access.can_change(officer_a, directorate_a)
    directorate_a.head = officer_a
    assert access.can_change(officer_a, directorate_a)
    directorate_a.save()
    assert list(Directorate.objects.changeable_by(officer_a)) == [directorate_a]


def test_viewer_cannot_change_even_a_record_assigned_to_them(viewer_a, directorate_a, headed_by_owner):
    directorate_a.head = viewer_a
    directorate_a.save()
    assert not access.can_change(viewer_a, directorate_a)
    assert not Directorate.objects.changeable_by(viewer_a).exists()


def test_manager_of_another_organisation_changes_nothing_here(manager_b, directorate_a):
    assert not access.can_change(manager_b, directorate_a)
    assert not access.can_view(manager_b, directorate_a)


def test_suspended_membership_grants_nothing(officer_a, directorate_a):
    Membership.objects.filter(user=officer_a).update(status=Membership.Status.SUSPENDED)
    access.forget(officer_a)
    assert not Directorate.objects.visible_to(officer_a).exists()


def test_archived_organisation_grants_nothing(officer_a, org_a, directorate_a, admin_a):
    org_a.archive(by=admin_a)
    access.forget(officer_a)
    assert not Directorate.objects.visible_to(officer_a).exists()


def test_superuser_sees_and_changes_every_organisation(superuser, directorate_a, directorate_b):
    assert set(Directorate.objects.visible_to(superuser)) == {directorate_a, directorate_b}
    assert access.can_change(superuser, directorate_b)


def test_anonymous_sees_nothing(directorate_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Directorate.objects.visible_to(AnonymousUser()).exists()


def test_archived_record_cannot_be_changed_until_restored(manager_a, directorate_a):
    directorate_a.archive(by=manager_a)
    assert not access.can_change(manager_a, directorate_a)


def test_only_auditors_managers_and_admins_record_findings(viewer_a, officer_a, auditor_a, org_a):
    assert access.can_record_findings(auditor_a, org_a)
    assert not access.can_record_findings(officer_a, org_a)
    assert not access.can_record_findings(viewer_a, org_a)


@pytest.mark.parametrize("name", ["organisation_detail", "people", "invite", "service_accounts"])
def test_a_person_of_another_organisation_gets_404_not_500(login, officer_b, org_a, name):
    response = login(officer_b).get(reverse(name, kwargs={"slug": org_a.slug}))
    assert response.status_code == 404


def test_unknown_organisation_slug_is_404(login, officer_a):
    assert login(officer_a).get("/organisations/no-such-place/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, org_a):
    response = client.get(reverse("organisation_detail", kwargs={"slug": org_a.slug}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
