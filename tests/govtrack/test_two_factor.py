"""Two-factor authentication for local accounts: optional for everyone, required for administrators."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery"


def sign_in_with_password(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def code_for(key: bytes) -> str:
    return f"{totp(key):06d}"


def secret_on(page: str) -> bytes:
    """The key as the setup page shows it to be typed into an app."""
    text = re.search(r'id="gt-totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    return b32decode(text + "=" * (-len(text) % 8))


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def enrol(client, clock) -> tuple[bytes, list[str]]:
    """Walk through the setup page as a person would; returns the key and the recovery codes."""
    page = client.get(reverse("two_factor_setup")).content.decode()
    key = secret_on(page)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(key)})
    assert response.status_code == 200, response.content
    codes = re.findall(r'<li><code class="gt-token">([a-z2-7]+)</code></li>', response.content.decode())
    clock.shift(30)  # a code is accepted once: the next sign-in needs the next one
    return key, codes


def test_an_admin_is_sent_to_set_up_two_factor_before_anything_else(client, admin_a, org_a):
    response = sign_in_with_password(client, "admin-a")
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))
    for path in ("/", org_a.get_absolute_url(), reverse("people", args=[org_a.slug]), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup")), path
    assert client.get("/api/v1/me/").status_code == 403


@pytest.mark.parametrize("persona", ["superuser", "staff"])
def test_django_staff_and_superusers_must_set_it_up_too(client, request, persona, db):
    from tests.factories import UserFactory

    user = request.getfixturevalue("superuser") if persona == "superuser" else UserFactory(is_staff=True)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))


def test_setup_page_shows_the_key_as_text_and_an_svg_qr_code_with_no_inline_style_or_script(client, admin_a):
    client.force_login(admin_a)
    response = client.get(reverse("two_factor_setup"))
    page = response.content.decode()
    assert response.status_code == 200
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<path" in svg
    assert "style" not in svg and "<script" not in svg
    assert len(secret_on(page)) == 20
    assert "Administrators must use two-factor authentication" in page
    # Reloading the page keeps the same key, so a half-finished setup still works.
    assert secret_on(client.get(reverse("two_factor_setup")).content.decode()) == secret_on(page)


def test_enrolling_with_a_code_from_the_app_turns_it_on_and_shows_recovery_codes_once(client, admin_a, clock):
    client.force_login(admin_a)
    _key, codes = enrol(client, clock)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.filter(user=admin_a, confirmed=True).count() == 1
    assert client.get("/").status_code == 200  # this session is verified by the setup itself
    page = client.get(reverse("account_security")).content.decode()
    assert "10 recovery codes left" in page and codes[0] not in page


def test_a_wrong_setup_code_is_refused(client, admin_a):
    client.force_login(admin_a)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "123456"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=admin_a, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_signing_in_asks_for_the_code_after_the_password(client, admin_a, clock):
    client.force_login(admin_a)
    key, _codes = enrol(client, clock)
    client.post(reverse("logout"))

    response = sign_in_with_password(client, "admin-a")
    assert response.url.startswith(reverse("two_factor_verify"))
    assert client.get("/").url.startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"code": code_for(key), "next": "/organisations/"})
    assert response.status_code == 302 and response.url == "/organisations/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_and_the_site_stays_closed(client, officer_a, clock):
    device = TOTPDevice.objects.create(user=officer_a, name="Phone", confirmed=True)
    sign_in_with_password(client, "officer-a")
    response = client.post(reverse("two_factor_verify"), {"code": f"{(totp(device.bin_key) + 1) % 1000000:06d}"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").url.startswith(reverse("two_factor_verify"))
    assert client.get("/api/v1/me/").status_code == 403


def test_a_code_cannot_be_used_twice(client, officer_a, clock):
    device = TOTPDevice.objects.create(user=officer_a, name="Phone", confirmed=True)
    code = code_for(device.bin_key)
    sign_in_with_password(client, "officer-a")
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    clock.shift(5)
    sign_in_with_password(client, "officer-a")
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 200


def test_a_recovery_code_works_once(client, admin_a, clock):
    client.force_login(admin_a)
    _key, codes = enrol(client, clock)
    for attempt in range(2):
        client.post(reverse("logout"))
        sign_in_with_password(client, "admin-a")
        clock.shift(5)  # past the wait after a failed attempt
        response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get("/").status_code == 200
        else:
            assert response.status_code == 200
            assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=admin_a).count() == 9


def test_wrong_codes_count_towards_the_sign_in_lockout(client, officer_a, settings, clock):
    settings.AXES_FAILURE_LIMIT = 3
    TOTPDevice.objects.create(user=officer_a, name="Phone", confirmed=True)
    sign_in_with_password(client, "officer-a")
    statuses = []
    for _attempt in range(3):
        clock.shift(10)
        statuses.append(client.post(reverse("two_factor_verify"), {"code": "000000"}).status_code)
    assert statuses == [200, 200, 429]
    assert "_auth_user_id" not in client.session
    assert sign_in_with_password(client, "officer-a").status_code == 429


def test_anyone_may_opt_in_from_the_security_page_and_turn_it_off_again(login, officer_a, clock):
    client = login(officer_a)
    page = client.get(reverse("account_security")).content.decode()
    assert "Set up two-factor authentication" in page
    enrol(client, clock)
    assert "Turn off two-factor authentication" in client.get(reverse("account_security")).content.decode()
    client.post(reverse("account_security"), {"action": "turn_off"})
    assert not TOTPDevice.objects.filter(user=officer_a).exists()
    client.post(reverse("logout"))
    assert sign_in_with_password(client, "officer-a").url == reverse("dashboard")


def test_an_admin_cannot_turn_it_off(login, admin_a):
    client = login(admin_a)
    assert "Turn off" not in client.get(reverse("account_security")).content.decode()
    client.post(reverse("account_security"), {"action": "turn_off"})
    assert TOTPDevice.objects.filter(user=admin_a, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(login, officer_a, clock):
    client = login(officer_a)
    _key, old = enrol(client, clock)
    response = client.post(reverse("account_security"), {"action": "recovery_codes"})
    new = re.findall(r'<li><code class="gt-token">([a-z2-7]+)</code></li>', response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=officer_a).values_list("token", flat=True)) == set(new)


def test_people_without_two_factor_sign_in_with_their_password_alone(client, officer_a):
    response = sign_in_with_password(client, "officer-a")
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get("/").status_code == 200


def test_a_person_made_admin_is_asked_to_set_it_up_on_their_next_page(login, officer_a, org_a):
    from govtrack.models import Membership

    client = login(officer_a)
    assert client.get("/").status_code == 200
    Membership.objects.filter(user=officer_a).update(role="admin")
    assert client.get("/").url.startswith(reverse("two_factor_setup"))


def test_throttled_after_a_failure_even_with_the_right_code(client, officer_a):
    device = TOTPDevice.objects.create(user=officer_a, name="Phone", confirmed=True)
    sign_in_with_password(client, "officer-a")
    with time_machine.travel(timezone.now(), tick=False):
        client.post(reverse("two_factor_verify"), {"code": "000000"})
        response = client.post(reverse("two_factor_verify"), {"code": code_for(device.bin_key)})
    assert response.status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        assert client.post(reverse("two_factor_verify"), {"code": code_for(device.bin_key)}).status_code == 302


def test_the_menus_stay_hidden_until_the_second_factor_is_given(client, admin_a, login, officer_a):
    client.force_login(admin_a)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "govuk-service-navigation" not in page and "Sign out" in page
    page = login(officer_a).get("/").content.decode()
    assert "govuk-service-navigation" in page
