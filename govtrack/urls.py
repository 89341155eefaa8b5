from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from govtrack import import_views, information, language, person_views, signin_views, views
from govtrack.api.docs import CachedSchemaView, DocsView
from govtrack.models import Organisation
from govtrack.viewmixins import HistoryView

urlpatterns = [
    path("", include("reporting.home_urls")),  # the start page gathers every app's "what needs me"
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots),
    path("accessibility/", information.accessibility, name="accessibility"),
    path("privacy/", information.privacy, name="privacy"),
    path("help/", information.help_page, name="help"),
    path("accounts/login/", signin_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/two-factor/", signin_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", signin_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/security/", signin_views.account_security, name="account_security"),
    path(
        "accounts/security/tokens/<int:pk>/revoke/",
        signin_views.personal_token_revoke,
        name="personal_token_revoke",
    ),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/switch/", views.switch_organisation, name="switch_organisation"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/history/", HistoryView.as_view(model=Organisation, lookups={"slug": "slug"}),
         name="organisation_history"),
    path("organisations/<slug:slug>/checks/", views.organisation_checks, name="organisation_checks"),
    path("organisations/<slug:slug>/people/", views.people, name="people"),
    path("organisations/<slug:slug>/people/invite/", views.invite, name="invite"),
    path("organisations/<slug:slug>/people/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("organisations/<slug:slug>/service-accounts/", views.service_accounts, name="service_accounts"),
    path(
        "organisations/<slug:slug>/service-accounts/<int:pk>/tokens/new/",
        views.service_account_token_new,
        name="service_account_token_new",
    ),
    path(
        "organisations/<slug:slug>/service-accounts/<int:pk>/tokens/<int:token_pk>/revoke/",
        views.service_account_token_revoke,
        name="service_account_token_revoke",
    ),
    path(
        "organisations/<slug:slug>/service-accounts/<int:pk>/<str:action>/",
        views.service_account_action,
        name="service_account_action",
    ),
    path("imports/<slug:org>/<slug:kind>/", import_views.import_view, name="import"),
    path("imports/<slug:org>/<slug:kind>/export.<str:fmt>", import_views.export_view, name="export"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("accounts/settings/", person_views.personal_settings, name="personal_settings"),
    path("accounts/settings/calendar/new/", person_views.calendar_new, name="calendar_new"),
    path("accounts/settings/calendar/revoke/", person_views.calendar_revoke, name="calendar_revoke"),
    path("systems/", include("systems_catalogue.urls")),
    path("registers/", include("registers.urls")),
    path("slas/", include("slas.urls")),
    path("proposals/", include("proposals.urls")),
    path("boards/", include("boards.urls")),
    path("reporting/", include("reporting.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("api/v1/", include("govtrack.api.urls")),
    path("api/schema/", CachedSchemaView.as_view(), name="schema"),
    # Swagger UI sets a few inline styles; allow those on this page only (scripts stay 'self').
    path(
        "api/docs/",
        csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(
            DocsView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "govtrack.views.error_400"
handler403 = "govtrack.views.error_403"
handler404 = "govtrack.views.error_404"
handler500 = "govtrack.views.error_500"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
