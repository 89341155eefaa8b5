"""Daily email digest of each person's unsent notifications."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govtrack.models import Notification


def send_digests() -> int:
    """Email each person one digest of the notices not yet emailed; returns how many digests went."""
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_person: dict[int, list[Notification]] = {}
    for notice in pending:
        by_person.setdefault(notice.recipient_id, []).append(notice)
    users = get_user_model().objects.in_bulk(list(by_person))
    sent = 0
    for user_id, notices in by_person.items():
        user = users[user_id]
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "govtrack/email/digest.txt", {"user": user, "notices": notices, "site_url": settings.SITE_URL}
            )
            send_mail(
                _("govtrack: %(count)s new notices") % {"count": len(notices)},
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
        sent += 1
    return sent
