"""A person's own settings: language, emailed kinds of notice, the calendar secret."""

import pytest
from django.core import mail
from django.urls import reverse

from govtrack.models import Notification, PersonSettings, notify
from govtrack.notifications import Notice, notify_many, send_digests


def test_digest_groups_by_kind_and_leaves_out_unsubscribed_kinds(officer_a):
    notify(recipient=officer_a, key="a", kind="review", subject="Review of R1 due", url="/registers/")
    notify(recipient=officer_a, key="b", kind="contract", subject="Flo contract ends")
    PersonSettings.objects.create(user=officer_a, unsubscribed=["contract"])
    assert send_digests() == 1
    body = mail.outbox[0].body
    assert "Review of R1 due" in body and "Risk reviews due and overdue" in body
    assert "Flo contract ends" not in body
    assert "/accounts/settings/?unsubscribe=review" in body
    # Settled, so they never arrive later; still listed in govtrack.
    assert send_digests() == 0
    assert Notification.objects.filter(recipient=officer_a).count() == 2


def test_nothing_is_emailed_when_every_kind_is_unsubscribed(officer_a):
    notify(recipient=officer_a, key="b", kind="contract", subject="Flo contract ends")
    PersonSettings.objects.create(user=officer_a, unsubscribed=["contract"])
    assert send_digests() == 0
    assert mail.outbox == []


def test_digest_is_written_in_the_persons_language(officer_a):
    PersonSettings.objects.create(user=officer_a, language="cy")
    notify(recipient=officer_a, key="a", kind="review", subject="R1")
    send_digests()
    assert "Hello" not in mail.outbox[0].body


def test_notify_many_stores_each_person_and_key_once(officer_a, manager_a):
    notices = [
        Notice(recipient_id=officer_a.pk, key="k1", subject="one"),
        Notice(recipient_id=officer_a.pk, key="k1", subject="again"),
        Notice(recipient_id=manager_a.pk, key="k1", subject="one"),
    ]
    assert notify_many(notices) == 2
    assert notify_many(notices) == 0
    assert Notification.objects.count() == 2


def test_notify_many_skips_inactive_people(officer_a):
    officer_a.is_active = False
    officer_a.save()
    assert notify_many([Notice(recipient_id=officer_a.pk, key="k", subject="s")]) == 0


def test_settings_page_saves_language_and_unsubscribes(login, officer_a):
    client = login(officer_a)
    page = client.get(reverse("personal_settings") + "?unsubscribe=contract").content.decode()
    assert "Contract notice and end dates" in page
    response = client.post(reverse("personal_settings"), {"language": "cy", "emailed": ["review", "action"]})
    assert response.status_code == 302
    person = PersonSettings.objects.get(user=officer_a)
    assert person.language == "cy"
    assert not person.emails("contract") and person.emails("review")


def test_settings_page_refuses_an_unknown_language(login, officer_a):
    client = login(officer_a)
    response = client.post(reverse("personal_settings"), {"language": "xx"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_calendar_feed_can_be_turned_on_and_off(login, officer_a):
    client = login(officer_a)
    client.post(reverse("calendar_new"))
    assert PersonSettings.objects.get(user=officer_a).calendar_hash
    client.post(reverse("calendar_revoke"))
    assert PersonSettings.objects.get(user=officer_a).calendar_hash is None


def test_a_new_calendar_secret_replaces_the_old(officer_a):
    person = PersonSettings.of(officer_a)
    old = person.new_calendar_secret()
    new = person.new_calendar_secret()
    assert PersonSettings.for_calendar_secret(old) is None
    assert PersonSettings.for_calendar_secret(new) == person
    assert PersonSettings.for_calendar_secret("") is None


def test_a_failed_send_leaves_the_notices_for_the_retry(officer_a, monkeypatch):
    from smtplib import SMTPServerDisconnected

    import govtrack.notifications as notifications

    notify(recipient=officer_a, key="a", kind="review", subject="R1")

    def broken(*args, **kwargs):
        raise SMTPServerDisconnected("mail server away")

    monkeypatch.setattr(notifications, "send_mail", broken)
    try:
        send_digests()
    except SMTPServerDisconnected:
        pass
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1
    monkeypatch.undo()
    assert send_digests() == 1


def test_tasks_retry_transient_errors_with_backoff_and_have_time_limits():
    from govtrack.tasks import TRANSIENT, run_checks_task, send_digests_task

    for task in (run_checks_task, send_digests_task):
        assert task.autoretry_for == TRANSIENT and task.retry_backoff and task.max_retries == 5
        assert task.time_limit and task.soft_time_limit < task.time_limit


@pytest.mark.parametrize("count", [3, 60])
def test_notifications_list_is_paged_with_constant_queries(count, login, officer_a, django_assert_num_queries):
    notify_many(Notice(recipient_id=officer_a.pk, key=f"k{n}", kind="review", subject=f"Notice {n}")
                for n in range(count))
    client = login(officer_a)
    client.get(reverse("notifications"))
    with django_assert_num_queries(9):
        page = client.get(reverse("notifications")).content.decode()
    assert "Risk reviews due and overdue" in page
    assert page.count("Notice ") == min(count, 50)
