"""A person's language is remembered: chosen once, spoken on every device they sign in on."""

from django.conf import settings
from django.test import Client

from govtrack.models import PersonSettings
from tests.conftest import sign_in
from tests.factories import member

PASSWORD = "correct-horse-battery"


def _person(org):
    person = member(org, "officer", username="siwan")
    person.set_password(PASSWORD)
    person.save()
    return person


def test_the_language_a_person_chooses_is_kept_and_spoken_on_their_next_device(db, org_a):
    person = _person(org_a)
    laptop = Client()
    sign_in(laptop, person)
    assert laptop.post("/i18n/setlang/", {"language": "cy", "next": "/"}).status_code == 302
    assert PersonSettings.objects.get(user=person).language == "cy"

    phone = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    assert phone.post("/accounts/login/", {"username": "siwan", "password": PASSWORD}).status_code == 302
    page = phone.get("/")
    assert '<html lang="cy"' in page.content.decode()
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


def test_switching_back_to_english_is_remembered_too(db, org_a):
    person = _person(org_a)
    PersonSettings.objects.create(user=person, language="cy")
    client = Client()
    client.post("/accounts/login/", {"username": "siwan", "password": PASSWORD})
    assert '<html lang="cy"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert PersonSettings.objects.get(user=person).language == "en"
    assert '<html lang="en"' in client.get("/").content.decode()


def test_someone_signed_out_switches_with_a_cookie_and_nothing_is_stored(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/help/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert not PersonSettings.objects.exists()
    assert '<html lang="cy"' in client.get("/help/").content.decode()


def test_an_unknown_language_changes_nothing(db, org_a):
    person = _person(org_a)
    client = Client()
    sign_in(client, person)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert not PersonSettings.objects.filter(user=person).exclude(language="").exists()
