"""Shared fixtures: two organisations and a persona for every role.

Personas: viewer, officer, manager, auditor and admin of organisation A; an officer of
organisation B; a service account of A with a token; a superuser; anonymous. ``login`` signs
administrators in with their second factor, as the site requires.
"""

import os
import time
from pathlib import Path

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from govtrack import access, services, signin
from govtrack.models import Membership
from registers.models import Register, RiskMatrix
from tests.factories import DirectorateFactory, OrganisationFactory, UserFactory, member
from tests.registers.factories import RegisterFactory, RiskFactory

# Property tests run on shared machines: a slow draw is the machine's load, not the strategy's.
hypothesis_settings.register_profile("govtrack", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("govtrack")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached matrices would outlive the rows they came from)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language(settings):
    """Each test starts in the site's language: a request in Welsh leaves Welsh active in the thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Monmouthshire County Council", slug="org-a", short_name="Monmouthshire")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Newport City Council", slug="org-b", short_name="Newport")


@pytest.fixture
def viewer_a(org_a):
    return member(org_a, Membership.Role.VIEWER, "viewer-a")


@pytest.fixture
def officer_a(org_a):
    return member(org_a, Membership.Role.OFFICER, "officer-a")


@pytest.fixture
def manager_a(org_a):
    return member(org_a, Membership.Role.MANAGER, "manager-a")


@pytest.fixture
def auditor_a(org_a):
    return member(org_a, Membership.Role.AUDITOR, "auditor-a")


@pytest.fixture
def admin_a(org_a):
    return member(org_a, Membership.Role.ADMIN, "admin-a")


@pytest.fixture
def officer_b(org_b):
    return member(org_b, Membership.Role.OFFICER, "officer-b")


@pytest.fixture
def manager_b(org_b):
    return member(org_b, Membership.Role.MANAGER, "manager-b")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def service_account_a(org_a, admin_a):
    """(account, token) for a partner's API client of organisation A with the officer role."""
    return services.create_service_account(organisation=org_a, name="A feed", role=Membership.Role.OFFICER, by=admin_a)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_client(service_account_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {service_account_a[1]}")
    return client


def sign_in(client, user):
    """Sign a person in on a test client as the whole sign-in would: administrators with their second factor."""
    client.force_login(user)
    session = client.session
    now = int(time.time())
    session.update({signin.SIGNED_IN_AT: now, signin.LAST_SEEN_AT: now, signin.METHOD: signin.PASSWORD})
    session[signin.HAS_TOTP] = False
    if signin.is_admin(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Test app", confirmed=True
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[signin.HAS_TOTP] = True
    session.save()
    access.forget(user)
    return client


@pytest.fixture
def login(client):
    """Sign a person in on the test client: ``login(officer_a)``."""

    def _login(user):
        return sign_in(client, user)

    return _login


# -- organisation A's corporate → directorate → project registers, used by every app's tests ----------------


@pytest.fixture
def matrix_a(org_a):
    return RiskMatrix.for_organisation(org_a)


@pytest.fixture
def directorate_a(org_a):
    return DirectorateFactory(organisation=org_a, name="Social Care and Health", slug="social-care-and-health")


@pytest.fixture
def project_owner(org_a):
    """An officer of A who owns the project register."""
    return member(org_a, Membership.Role.OFFICER, "project-owner")


@pytest.fixture
def corporate(org_a, manager_a, matrix_a):
    return RegisterFactory(organisation=org_a, name="Corporate", slug="corporate", level=Register.Level.CORPORATE,
                           owner=manager_a)


@pytest.fixture
def directorate_register(org_a, corporate, officer_a, directorate_a):
    """Owned by officer A, so officer A decides escalations from the project register."""
    return RegisterFactory(organisation=org_a, name="Social Care and Health", slug="sch",
                           level=Register.Level.DIRECTORATE, parent=corporate, directorate=directorate_a,
                           owner=officer_a, escalation_threshold=15)


@pytest.fixture
def project(org_a, directorate_register, project_owner):
    return RegisterFactory(organisation=org_a, name="Flo project", slug="flo", level=Register.Level.PROJECT,
                           parent=directorate_register, owner=project_owner, escalation_threshold=12)


@pytest.fixture
def make_risk(project):
    def _make(likelihood=2, impact=3, register=None, **kwargs):
        return RiskFactory(register=register or project, current_likelihood=likelihood, current_impact=impact,
                           **kwargs)

    return _make


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` are skipped, not failed, when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (bin/test does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# Real council spreadsheets live in the shared data folder beside the repository (CI has it there);
# GOVTRACK_SHARED_DATA points elsewhere.
SHARED_DATA = Path(os.environ.get("GOVTRACK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def shared_data_file(name: str) -> Path:
    """A real data file, or a skip that says where it was looked for."""
    path = SHARED_DATA / name
    if not path.exists():
        message = f"{name} not found in {SHARED_DATA} (set GOVTRACK_SHARED_DATA)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI always has the data: a missing file must not pass as a skip
        pytest.skip(message)
    return path
