"""Who gets what, for every URL of the site and every API endpoint: the authorisation matrix.

Every route comes from the URL resolver (the API's from its routers, which the resolver
includes), so a new view or endpoint cannot escape: a route without a row in ``ROWS`` fails the
test with the row to add, and a row whose route no longer exists fails too. Each row says how to
request the route (method and path, with placeholders for organisation A's records from
``tests/scoping_world.py``) and the answer expected by each of 13 callers, in this order:

- viewer, officer, manager, auditor and admin of organisation A (whose records the path names);
- the same five roles in organisation B (no partnership with A);
- A's partner service account (its token in the ``Authorization`` header), anonymous, and a
  revoked token of that service account.

Answers: ``200``; ``login`` (a redirect to the sign-in page); ``302`` (any other redirect);
``400``; ``401``; ``403``; ``404``; ``405``. Pages read the session, not a token, so a token
alone is anonymous there. One request per cell, each in a savepoint that is rolled back, so a
POST that archives or decides something leaves the world as it was for the next cell.

Not separate rows: the API's format-suffix routes (``systems.json``), which are the same views;
and Django's admin, one row for all of ``admin/`` (every admin view goes through the admin site's
own staff check; its index is requested).
"""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from govtrack.models import ApiToken, Membership, Partnership, PersonSettings
from proposals.models import Evidence, Source
from registers.models import Risk
from reporting.models import BoardPack
from systems_catalogue.models import Capability, System
from tests.conftest import sign_in
from tests.factories import member
from tests.scoping_world import build_world

ROLES = ("viewer", "officer", "manager", "auditor", "admin")
CALLERS = (*(f"{role} of A" for role in ROLES), *(f"{role} of B" for role in ROLES),
           "service account", "anonymous", "revoked token")
ADMIN_PREFIX = "admin/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

#: route -> ("METHOD path", "answers of the 13 callers"). "GET" alone requests the route as written.
#: Answers in CALLERS' order: A's viewer officer manager auditor admin | B's five | service account anonymous revoked.
ROWS: dict[str, tuple[str, str]] = {
    "": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "healthz": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "accessibility/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "privacy/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "help/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "robots.txt": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "accounts/login/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "accounts/logout/": ("POST", "login login login login login | login login login login login | login login login"),
    "accounts/password_change/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "accounts/password_change/done/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "accounts/password_reset/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "accounts/password_reset/done/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "accounts/reset/<uidb64>/<token>/": (
        "GET accounts/reset/MQ/set-password/", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "accounts/reset/done/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "accounts/two-factor/": ("GET", "302 302 302 302 302 | 302 302 302 302 302 | login login login"),
    "accounts/two-factor/setup/": ("GET", "200 200 200 200 302 | 200 200 200 200 302 | login login login"),
    "accounts/security/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "accounts/security/tokens/<int:pk>/revoke/": (
        "POST accounts/security/tokens/{personal_token.pk}/revoke/",
        "404 302 404 404 404 | 404 404 404 404 404 | login login login"),
    "accounts/settings/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "accounts/settings/calendar/new/": ("POST", "302 302 302 302 302 | 302 302 302 302 302 | login login login"),
    "accounts/settings/calendar/revoke/": ("POST", "302 302 302 302 302 | 302 302 302 302 302 | login login login"),
    "oidc/callback/": ("GET", "404 404 404 404 404 | 404 404 404 404 404 | 404 404 404"),
    "oidc/authenticate/": ("GET", "404 404 404 404 404 | 404 404 404 404 404 | 404 404 404"),
    "oidc/logout/": ("POST", "login login login login login | login login login login login | login login login"),
    "i18n/setlang/": ("POST", "302 302 302 302 302 | 302 302 302 302 302 | 302 302 302"),
    "organisations/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "organisations/switch/": ("POST", "404 404 404 404 404 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/": (
        "GET organisations/{org.slug}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/history/": (
        "GET organisations/{org.slug}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/checks/": (
        "GET organisations/{org.slug}/checks/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/people/": (
        "GET organisations/{org.slug}/people/", "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/people/invite/": (
        "GET organisations/{org.slug}/people/invite/", "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/people/<int:pk>/": (
        "GET organisations/{org.slug}/people/{membership.pk}/",
        "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/service-accounts/": (
        "GET organisations/{org.slug}/service-accounts/",
        "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/service-accounts/<int:pk>/tokens/new/": (
        "GET organisations/{org.slug}/service-accounts/{service_account.pk}/tokens/new/",
        "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/service-accounts/<int:pk>/tokens/<int:token_pk>/revoke/": (
        "POST organisations/{org.slug}/service-accounts/{service_account.pk}/tokens/{token.pk}/revoke/",
        "403 403 403 403 302 | 404 404 404 404 404 | login login login"),
    "organisations/<slug:slug>/service-accounts/<int:pk>/<str:action>/": (
        "POST organisations/{org.slug}/service-accounts/{service_account.pk}/suspend/",
        "403 403 403 403 302 | 404 404 404 404 404 | login login login"),
    "imports/<slug:org>/<slug:kind>/": (
        "GET imports/{org.slug}/systems/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "imports/<slug:org>/<slug:kind>/export.<str:fmt>": (
        "GET imports/{org.slug}/systems/export.csv", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "notifications/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "notifications/read/": ("POST", "302 302 302 302 302 | 302 302 302 302 302 | login login login"),
    "systems/": ("GET", "302 302 302 302 302 | 302 302 302 302 302 | login login login"),
    "systems/import-columns/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "systems/<int:pk>/": ("GET systems/{system.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<int:pk>/history/": (
        "GET systems/{system.pk}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<int:pk>/edit/": (
        "GET systems/{system.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "systems/<int:pk>/archive/": (
        "POST systems/{system.pk}/archive/", "403 302 302 403 302 | 404 404 404 404 404 | login login login"),
    "systems/<int:pk>/restore/": (
        "POST systems/{archived_system.pk}/restore/", "403 403 302 403 302 | 404 404 404 404 404 | login login login"),
    "systems/<int:system_pk>/contracts/new/": (
        "GET systems/{system.pk}/contracts/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "systems/<int:system_pk>/contracts/<int:pk>/edit/": (
        "GET systems/{system.pk}/contracts/{contract.pk}/edit/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "systems/contracts/<int:pk>/archive/": (
        "POST systems/contracts/{contract.pk}/archive/",
        "403 302 302 403 302 | 404 404 404 404 404 | login login login"),
    "systems/<int:system_pk>/comments/new/": (
        "GET systems/{system.pk}/comments/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "systems/<int:system_pk>/integrations/new/": (
        "GET systems/{system.pk}/integrations/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/": ("GET systems/{org.slug}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/new/": (
        "GET systems/{org.slug}/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/suppliers/": (
        "GET systems/{org.slug}/suppliers/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/suppliers/new/": (
        "GET systems/{org.slug}/suppliers/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/completeness/": (
        "GET systems/{org.slug}/completeness/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/missing/": (
        "GET systems/{org.slug}/missing/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/rationalisation/": (
        "GET systems/{org.slug}/rationalisation/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/renewals/": (
        "GET systems/{org.slug}/renewals/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/reviews/": (
        "GET systems/{org.slug}/reviews/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "systems/<slug:org>/settings/": (
        "GET systems/{org.slug}/settings/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "registers/escalations/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "registers/escalations/<int:pk>/<slug:decision>/": (
        "POST registers/escalations/{escalation.pk}/accept/",
        "403 302 302 403 302 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/": (
        "GET registers/risks/{risk.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/history/": (
        "GET registers/risks/{risk.pk}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/edit/": (
        "GET registers/risks/{risk.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/review/": (
        "GET registers/risks/{risk.pk}/review/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/escalate/": (
        "GET registers/risks/{risk.pk}/escalate/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/archive/": (
        "POST registers/risks/{risk.pk}/archive/", "403 302 302 403 302 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/restore/": (
        "POST registers/risks/{archived_risk.pk}/restore/",
        "403 403 302 403 302 | 404 404 404 404 404 | login login login"),
    "registers/risks/<int:pk>/actions/new/": (
        "GET registers/risks/{risk.pk}/actions/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/actions/<int:pk>/edit/": (
        "GET registers/actions/{riskaction.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/<slug:org>/new/": (
        "GET registers/{org.slug}/new/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/<slug:org>/governance-gaps/": (
        "GET registers/{org.slug}/governance-gaps/", "302 302 302 302 302 | 302 302 302 302 302 | 302 302 302"),
    "registers/<slug:org>/matrix/": (
        "GET registers/{org.slug}/matrix/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "registers/<slug:org>/<slug:slug>/": (
        "GET registers/{org.slug}/{register.slug}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "registers/<slug:org>/<slug:slug>/history/": (
        "GET registers/{org.slug}/{register.slug}/history/",
        "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "registers/<slug:org>/<slug:slug>/edit/": (
        "GET registers/{org.slug}/{register.slug}/edit/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/<slug:org>/<slug:slug>/risks/new/": (
        "GET registers/{org.slug}/{register.slug}/risks/new/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "slas/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "slas/partnerships/<slug:slug>/": (
        "GET slas/partnerships/{partnership.slug}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/": (
        "GET slas/agreements/{agreement.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/history/": (
        "GET slas/agreements/{agreement.pk}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/edit/": (
        "GET slas/agreements/{agreement.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/published/": (
        "GET slas/agreements/{agreement.pk}/published/",
        "404 404 404 404 404 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/lines/new/": (
        "GET slas/agreements/{agreement.pk}/lines/new/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/measurements/": (
        "GET slas/agreements/{agreement.pk}/measurements/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/import/": (
        "GET slas/agreements/{agreement.pk}/import/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "slas/agreements/<int:pk>/do/<slug:action>/": (
        "POST slas/agreements/{agreement.pk}/do/negotiate/",
        "403 302 302 403 302 | 404 404 404 404 404 | login login login"),
    "slas/lines/<int:pk>/edit/": (
        "GET slas/lines/{serviceline.pk}/edit/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "slas/<slug:org>/": ("GET slas/{org.slug}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "slas/<slug:org>/new/": (
        "GET slas/{org.slug}/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "slas/<slug:org>/breaches/": (
        "GET slas/{org.slug}/breaches/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "reporting/<slug:org>/governance-gaps/": (
        "GET reporting/{org.slug}/governance-gaps/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "search/": ("GET search/?q=casebook", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "calendar/<str:secret>.ics": (
        "GET calendar/{calendar_secret}.ics", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 200"),
    "systems/suppliers/<int:pk>/merge/": (
        "GET systems/suppliers/{supplier.pk}/merge/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "registers/<slug:org>/matrix/edit/": (
        "GET registers/{org.slug}/matrix/edit/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "boards/decisions/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "boards/decisions/<int:pk>/edit/": (
        "GET boards/decisions/{decision.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/members/<int:pk>/edit/": (
        "GET boards/members/{boardmember.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/members/<int:pk>/interests/new/": (
        "GET boards/members/{boardmember.pk}/interests/new/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/interests/<int:pk>/edit/": (
        "GET boards/interests/{declaredinterest.pk}/edit/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/meetings/<int:pk>/": (
        "GET boards/meetings/{meeting.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "boards/meetings/<int:pk>/history/": (
        "GET boards/meetings/{meeting.pk}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "boards/meetings/<int:pk>/edit/": (
        "GET boards/meetings/{meeting.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/meetings/<int:pk>/items/new/": (
        "GET boards/meetings/{meeting.pk}/items/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/meetings/<int:pk>/papers/new/": (
        "GET boards/meetings/{meeting.pk}/papers/new/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/meetings/<int:pk>/decisions/new/": (
        "GET boards/meetings/{meeting.pk}/decisions/new/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/": ("GET boards/{board.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/history/": (
        "GET boards/{board.pk}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/edit/": (
        "GET boards/{board.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/review/": (
        "GET boards/{board.pk}/review/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/import/": (
        "POST boards/{board.pk}/import/", "403 302 302 403 302 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/members/new/": (
        "GET boards/{board.pk}/members/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/meetings/": (
        "GET boards/{board.pk}/meetings/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "boards/<int:pk>/meetings/new/": (
        "GET boards/{board.pk}/meetings/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "boards/<slug:org>/new/": (
        "GET boards/{org.slug}/new/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "reporting/": ("GET", "302 302 302 302 302 | 302 302 302 302 302 | login login login"),
    "reporting/partnerships/<slug:slug>/dashboard/": (
        "GET reporting/partnerships/{partnership.slug}/dashboard/",
        "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "reporting/packs/<int:pk>/": (
        "GET reporting/packs/{boardpack.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "reporting/packs/<int:pk>/download/": (
        "GET reporting/packs/{ready_pack.pk}/download/",
        "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "reporting/packs/<int:pk>/<slug:action>/": (
        "POST reporting/packs/{boardpack.pk}/retry/", "403 302 302 403 302 | 404 404 404 404 404 | login login login"),
    "reporting/<slug:org>/packs/": (
        "GET reporting/{org.slug}/packs/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "reporting/<slug:org>/dashboard/": (
        "GET reporting/{org.slug}/dashboard/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "reporting/<slug:org>/risks/": (
        "GET reporting/{org.slug}/risks/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "reporting/<slug:org>/records/<slug:section>/": (
        "GET reporting/{org.slug}/records/overdue_actions/",
        "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "webhooks/<slug:org>/": (
        "GET webhooks/{org.slug}/", "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "webhooks/endpoints/<int:pk>/": (
        "GET webhooks/endpoints/{endpoint.pk}/", "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "webhooks/endpoints/<int:pk>/history/": (
        "GET webhooks/endpoints/{endpoint.pk}/history/",
        "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "webhooks/endpoints/<int:pk>/edit/": (
        "GET webhooks/endpoints/{endpoint.pk}/edit/", "403 403 403 403 200 | 404 404 404 404 404 | login login login"),
    "webhooks/endpoints/<int:pk>/<str:action>/": (
        "POST webhooks/endpoints/{endpoint.pk}/disable/",
        "403 403 403 403 302 | 404 404 404 404 404 | login login login"),
    "webhooks/deliveries/<int:pk>/redeliver/": (
        "POST webhooks/deliveries/{delivery.pk}/redeliver/",
        "403 403 403 403 302 | 404 404 404 404 404 | login login login"),
    "proposals/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "proposals/sources/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "proposals/sources/<int:pk>/": (
        "GET proposals/sources/{source.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/sources/<int:pk>/history/": (
        "GET proposals/sources/{source.pk}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/sources/<int:pk>/edit/": (
        "GET proposals/sources/{source.pk}/edit/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/sources/<int:pk>/file/": (
        "GET proposals/sources/{source.pk}/file/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/sources/<int:pk>/archive/": (
        "POST proposals/sources/{source.pk}/archive/", "403 403 302 403 302 | 404 404 404 404 404 | login login login"),
    "proposals/sources/<int:pk>/restore/": (
        "POST proposals/sources/{archived_source.pk}/restore/",
        "403 403 302 403 302 | 404 404 404 404 404 | login login login"),
    "proposals/sources/<int:pk>/proposals/new/": (
        "GET proposals/sources/{source.pk}/proposals/new/",
        "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/proposals/<int:pk>/": (
        "GET proposals/proposals/{proposal.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/proposals/<int:pk>/history/": (
        "GET proposals/proposals/{proposal.pk}/history/",
        "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/proposals/<int:pk>/edit/": (
        "GET proposals/proposals/{proposal.pk}/edit/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/proposals/<int:pk>/close/": (
        "GET proposals/proposals/{proposal.pk}/close/",
        "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/proposals/<int:pk>/archive/": (
        "POST proposals/proposals/{proposal.pk}/archive/",
        "403 403 302 403 302 | 404 404 404 404 404 | login login login"),
    "proposals/proposals/<int:pk>/actions/new/": (
        "GET proposals/proposals/{proposal.pk}/actions/new/",
        "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/": (
        "GET proposals/actions/{action.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/history/": (
        "GET proposals/actions/{action.pk}/history/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/edit/": (
        "GET proposals/actions/{action.pk}/edit/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/update/": (
        "GET proposals/actions/{action.pk}/update/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/revise/": (
        "GET proposals/actions/{action.pk}/revise/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/sign-off/": (
        "GET proposals/actions/{action.pk}/sign-off/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/cancel/": (
        "GET proposals/actions/{action.pk}/cancel/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/reopen/": (
        "GET proposals/actions/{action.pk}/reopen/", "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/actions/<int:pk>/evidence/new/": (
        "GET proposals/actions/{action.pk}/evidence/new/",
        "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/evidence/<int:pk>/file/": (
        "GET proposals/evidence/{evidence.pk}/file/", "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/business-cases/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | login login login"),
    "proposals/business-cases/<int:pk>/": (
        "GET proposals/business-cases/{businesscase.pk}/",
        "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/business-cases/<int:pk>/history/": (
        "GET proposals/business-cases/{businesscase.pk}/history/",
        "200 200 200 200 200 | 404 404 404 404 404 | login login login"),
    "proposals/<slug:org>/request-updates/": (
        "GET proposals/{org.slug}/request-updates/",
        "403 403 200 403 200 | 404 404 404 404 404 | login login login"),
    "proposals/<slug:org>/sources/new/": (
        "GET proposals/{org.slug}/sources/new/", "403 200 200 403 200 | 404 404 404 404 404 | login login login"),
    "api/v1/me/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/auth/token/": ("POST", "400 400 400 400 400 | 400 400 400 400 400 | 400 400 400"),
    "api/v1/organisations/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/organisations/<slug>/": (
        "GET api/v1/organisations/{org.slug}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/systems/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/systems/<pk>/": (
        "GET api/v1/systems/{system.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/contracts/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/contracts/<pk>/": (
        "GET api/v1/contracts/{contract.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/system-comments/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/system-comments/<pk>/": (
        "GET api/v1/system-comments/{ownercomment.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/integrations/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/integrations/<pk>/": (
        "GET api/v1/integrations/{integration.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/capabilities/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/capabilities/<slug>/": (
        "GET api/v1/capabilities/{capability.slug}/", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/suppliers/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/suppliers/<pk>/": (
        "GET api/v1/suppliers/{supplier.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/registers/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/registers/<pk>/": (
        "GET api/v1/registers/{register.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/risks/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/risks/<pk>/": ("GET api/v1/risks/{risk.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/risks/<pk>/escalate/": (
        "POST api/v1/risks/{risk.pk}/escalate/", "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/risks/<pk>/reviews/": (
        "POST api/v1/risks/{risk.pk}/reviews/", "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/risk-reviews/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/risk-reviews/<pk>/": (
        "GET api/v1/risk-reviews/{riskreview.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/escalations/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/escalations/<pk>/": (
        "GET api/v1/escalations/{escalation.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/escalations/<pk>/accept/": (
        "POST api/v1/escalations/{escalation.pk}/accept/", "403 200 200 403 200 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/escalations/<pk>/de-escalate/": (
        "POST api/v1/escalations/{escalation.pk}/de-escalate/",
        "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/escalations/<pk>/reject/": (
        "POST api/v1/escalations/{escalation.pk}/reject/", "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/agreements/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/agreements/<pk>/": (
        "GET api/v1/agreements/{agreement.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/agreements/<pk>/approve/": (
        "POST api/v1/agreements/{agreement.pk}/approve/", "403 400 200 403 200 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/agreements/<pk>/negotiate/": (
        "POST api/v1/agreements/{agreement.pk}/negotiate/", "403 200 200 403 200 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/agreements/<pk>/new-version/": (
        "POST api/v1/agreements/{agreement.pk}/new-version/",
        "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/agreements/<pk>/publish/": (
        "POST api/v1/agreements/{agreement.pk}/publish/", "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/agreements/<pk>/share/": (
        "POST api/v1/agreements/{agreement.pk}/share/", "403 200 200 403 200 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/agreements/<pk>/unshare/": (
        "POST api/v1/agreements/{agreement.pk}/unshare/", "403 200 200 403 200 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/service-lines/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/service-lines/<pk>/": (
        "GET api/v1/service-lines/{serviceline.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/measurements/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/measurements/bulk/": ("POST", "400 400 400 400 400 | 400 400 400 400 400 | 400 401 401"),
    "api/v1/measurements/<pk>/": (
        "GET api/v1/measurements/{measurement.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/breaches/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/breaches/<pk>/": (
        "GET api/v1/breaches/{breach.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/notifications/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/notifications/<pk>/": (
        "GET api/v1/notifications/{notification.pk}/", "404 200 404 404 404 | 404 404 404 404 404 | 404 401 401"),
    "api/v1/notifications/<pk>/read/": (
        "POST api/v1/notifications/{notification.pk}/read/", "404 200 404 404 404 | 404 404 404 404 404 | 404 401 401"),
    "api/v1/check-runs/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/check-runs/<pk>/": (
        "GET api/v1/check-runs/{checkrun.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/boards/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/boards/<pk>/": ("GET api/v1/boards/{board.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/boards/<pk>/conflicts/": (
        "GET api/v1/boards/{board.pk}/conflicts/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/boards/<pk>/review/": (
        "POST api/v1/boards/{board.pk}/review/", "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/board-members/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/board-members/<pk>/": (
        "GET api/v1/board-members/{boardmember.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/meetings/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/meetings/<pk>/": (
        "GET api/v1/meetings/{meeting.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/decisions/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/decisions/<pk>/": (
        "GET api/v1/decisions/{decision.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/sources/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/sources/<pk>/": (
        "GET api/v1/sources/{source.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/proposals/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/proposals/<pk>/": (
        "GET api/v1/proposals/{proposal.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/proposals/<pk>/close/": (
        "POST api/v1/proposals/{proposal.pk}/close/", "403 403 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/actions/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/actions/<pk>/": (
        "GET api/v1/actions/{action.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/actions/<pk>/revise/": (
        "POST api/v1/actions/{action.pk}/revise/", "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/actions/<pk>/sign-off/": (
        "POST api/v1/actions/{action.pk}/sign-off/", "403 403 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/actions/<pk>/updates/": (
        "POST api/v1/actions/{action.pk}/updates/", "403 400 400 403 400 | 404 404 404 404 404 | 403 401 401"),
    "api/v1/evidence/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/v1/evidence/<pk>/": (
        "GET api/v1/evidence/{evidence.pk}/", "200 200 200 200 200 | 404 404 404 404 404 | 200 401 401"),
    "api/v1/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 401 401"),
    "api/schema/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 401"),
    "api/docs/": ("GET", "200 200 200 200 200 | 200 200 200 200 200 | 200 200 401"),
    "admin/": ("GET", "login login login login login | login login login login login | login login login"),
}


def _normalise(route: str) -> str:
    """A route as people read it: the API's regular expressions as ``<name>`` like the rest."""
    route = route.replace("^", "").replace("$", "")
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)


def _routes(resolver=None, prefix: str = "") -> list[str]:
    """Every route of the site, once, without the format-suffix copies of API routes."""
    found: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if "(?P<format>" in route or "<drf_format_suffix:format>" in route:
                continue
            route = _normalise(route)
            if route.startswith(ADMIN_PREFIX):
                route = ADMIN_PREFIX
            found.append(route)
    return list(dict.fromkeys(found))


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the files attached below go to a folder of the test's own
    world = build_world()
    people = {}
    for side, name in ((world.a, "A"), (world.b, "B")):
        for role in ROLES:
            existing = {"officer": side.officer, "manager": side.manager}.get(role)
            people[f"{role} of {name}"] = existing or member(side.organisation, role, f"matrix-{role}-{name}")
    revoked, _key = ApiToken.new(user=world.service_account.user, name="Old feed",
                                 permission=ApiToken.Permission.READ_WRITE, expires_at=None, created_by=world.a.manager)
    revoked_key = _key
    revoked.revoke(by=world.a.manager)
    personal, _personal_key = ApiToken.new(user=world.a.officer, name="Officer's script",
                                           permission=ApiToken.Permission.READ,
                                           expires_at=timezone.now() + timedelta(days=30), created_by=world.a.officer)
    world.people, world.revoked_key = people, revoked_key
    world.places = {
        **{model.__name__.lower(): record for model, record in world.a.records.items()},
        "org": world.a.organisation,
        "corporate": world.a.corporate,
        "project": world.a.project,
        "membership": Membership.objects.get(user=people["viewer of A"], organisation=world.a.organisation),
        "service_account": world.service_account,
        "token": world.service_account.user.api_tokens.filter(revoked_at__isnull=True).first(),
        "personal_token": personal,
        "partnership": Partnership.objects.get(slug="org-a-partnership"),
        "archived_system": _archived(System.objects.create(organisation=world.a.organisation, name="Old ledger",
                                                           owner=world.a.officer), by=world.a.manager),
        "archived_risk": _archived(Risk.objects.create(
            organisation=world.a.organisation, register=world.a.project, reference="ORG-A-R0", title="Old risk",
            officer_owner=world.a.officer, inherent_likelihood=2, inherent_impact=2, current_likelihood=2,
            current_impact=2), by=world.a.manager),
        "capability": Capability.objects.get_or_create(slug="case-management", name="Case management")[0],
        "archived_source": _archived(Source.objects.create(
            organisation=world.a.organisation, issuer="Audit Wales", issued_on=date(2014, 2, 1),
            title="Old IT review"), by=world.a.manager),
        "ready_pack": _ready_pack(world.a),
        "notification": world.a.notice,
        "checkrun": world.a.check_run,
        "calendar_secret": PersonSettings.of(world.a.officer).new_calendar_secret(),
    }
    for record in (world.a.record(Source), world.a.record(Evidence)):
        _attach_pdf(record)
    return world


def _attach_pdf(record) -> None:
    """Give a source or an evidence record a stored file, so its file route serves something."""
    record.file.save("report.pdf", ContentFile(PDF), save=False)
    record.file_name, record.content_type, record.file_size = "report.pdf", "application/pdf", len(PDF)
    record.save()


def _ready_pack(side) -> BoardPack:
    """A pack whose build finished, so it can be downloaded."""
    pack = BoardPack.objects.create(organisation=side.organisation, title="Built pack", requested_by=side.officer,
                                    meeting_date=date(2026, 2, 1), since=date(2026, 1, 1),
                                    status=BoardPack.Status.READY, checksum="0" * 64, size=len(PDF), pages=1)
    pack.file.save("pack.pdf", ContentFile(PDF))
    return pack


def _archived(record, *, by):
    record.archive(by=by)
    return record


def _clients(world) -> dict[str, Client]:
    clients = {name: sign_in(Client(), person) for name, person in world.people.items()}
    clients["service account"] = Client(HTTP_AUTHORIZATION=f"Token {world.token}")
    clients["anonymous"] = Client()
    clients["revoked token"] = Client(HTTP_AUTHORIZATION=f"Token {world.revoked_key}")
    return clients


def _answer(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        sign_in_pages = (reverse(settings.LOGIN_URL), reverse("admin:login"))
        return "login" if location.split("?")[0] in sign_in_pages else "302"
    return str(response.status_code)


def _request(spec: str, route: str, places: dict) -> tuple[str, str]:
    method, _space, path = spec.partition(" ")
    path = "/" + (path or route).format(**places).lstrip("/")
    return method, path


def test_every_route_gives_each_caller_the_answer_in_its_row(world):
    clients = _clients(world)
    routes = _routes()
    missing = [route for route in routes if route not in ROWS]
    stale = [route for route in ROWS if route not in routes]
    problems = [f"{route!r} has a row but is no longer a route: remove it from ROWS" for route in stale]

    observed: dict[str, str] = {}
    for route in routes:
        spec = ROWS.get(route, ("GET", ""))[0]
        if route == ADMIN_PREFIX:
            spec = "GET admin/"
        if route not in ROWS and "<" in route:
            problems.append(f"{route!r} has no row: add one to ROWS in tests/test_authorisation_matrix.py with "
                            f"a path to one of A's records (placeholders: {sorted(world.places)})")
            continue
        method, path = _request(spec, route, world.places)
        if route != ADMIN_PREFIX:
            matched = _normalise(resolve(path.split("?")[0]).route)
            assert matched == route, f"the row for {route!r} requests {path}, which is the route {matched!r}"
        answers = []
        for caller in CALLERS:
            cache.clear()  # no throttle or cached answer carries from one caller to the next
            client = clients[caller]
            cookies = copy.deepcopy(client.cookies)
            with transaction.atomic():
                response = getattr(client, method.lower())(path)
                transaction.set_rollback(True)
            client.cookies = cookies  # signing out (or a new session) is rolled back for the next row too
            assert response.status_code < 500, f"{method} {path} as {caller}: {response.status_code}"
            answers.append(_answer(response))
        observed[route] = " | ".join(" ".join(answers[i:i + 5]) for i in (0, 5, 10))
        if route in ROWS:
            expected = [answer for answer in ROWS[route][1].split() if answer != "|"]
            wrong = [f"{method} {path} as {caller}: expected {want}, got {got}"
                     for caller, want, got in zip(CALLERS, expected, answers, strict=False) if want != got]
            if len(expected) != len(CALLERS):
                wrong.append(f"the row for {route!r} has {len(expected)} answers, not {len(CALLERS)}")
            if wrong:
                problems += [*wrong, f"    observed: \"{route}\": (\"{spec}\", \"{observed[route]}\"),"]

    for route in (route for route in missing if route in observed):
        problems.append(
            f"{route!r} has no row: add to ROWS in tests/test_authorisation_matrix.py, after checking each answer,\n"
            f'    "{route}": ("GET", "{observed[route]}"),'
        )
    assert not problems, "\n".join(problems)
