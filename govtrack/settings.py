"""govtrack settings: every value comes from the environment, with safe defaults.

With nothing set, govtrack runs on SQLite in the project folder, runs Celery tasks
in-process and prints email to the console. Production is these same settings with
other values (see .env.example); nothing exists only in production.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py (bin/start writes one with DEBUG=true for local use) fills in
# what the environment does not set; GOVTRACK_ENV_FILE names another file.
ENV_FILE = Path(os.environ.get("GOVTRACK_ENV_FILE", BASE_DIR / ".env"))
if ENV_FILE.is_file():
    env.read_env(ENV_FILE)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable strictly: a typo must stop start-up, not silently mean 'no'."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off); got {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Read a whole number, naming the variable when it is not one."""
    raw = env.str(name, default=None)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, or set DEBUG=true for local use."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Who runs this govtrack and how to reach them: named on the accessibility statement, privacy
# notice and help pages.
GOVTRACK_OPERATOR = env.str("GOVTRACK_OPERATOR", default="")
GOVTRACK_CONTACT_EMAIL = env.str("GOVTRACK_CONTACT_EMAIL", default="")
GOVTRACK_ACCESSIBILITY_TESTED_ON = env.str("GOVTRACK_ACCESSIBILITY_TESTED_ON", default="1 December 2026")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "import_export",
    "rules",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "csp",
    "django_htmx",
    "govtrack",
    "systems_catalogue",
    "registers",
    "slas",
    "proposals",
    "boards",
    "reporting",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "govtrack.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govtrack.language.PersonLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "govtrack.middleware.SessionTimeoutMiddleware",
    "govtrack.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "govtrack.middleware.CurrentOrganisationMiddleware",
    "govtrack.api.versioning.ApiVersionMiddleware",
    # axes must come last
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govtrack.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "govtrack.wsgi.application"
ASGI_APPLICATION = "govtrack.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govtrack.context_processors.govtrack",
            ],
        },
    },
]

try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL govtrack understands "
        f"(use postgres://user:password@host:5432/name or sqlite:///path): {exc}"
    ) from None
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL or SQLite.")
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60 if not DEBUG else 0)
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers queue instead of failing with "database is locked": write-ahead logging lets
    # readers go on during a write, a transaction takes the write lock when it begins (so two never
    # deadlock upgrading a read lock), and a busy database is waited for up to 20 seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    })
elif not env_bool("DATABASE_JIT", False):
    # PostgreSQL's JIT compiler pays off on long analytic queries. Ours are short, but their correlated
    # subqueries (risk movement, catalogue completeness, RAG) make the planner's cost estimates large enough
    # to compile them: at national scale that took 8.7 s of the dashboard's 9 s movement query, for an
    # execution of 0.3 s (bench/README.md). Off unless DATABASE_JIT=true.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit" not in _db_options.get("options", ""):
        _db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on; answers only when OIDC_ENABLED and only to the provider's callback.
    "govtrack.oidc.SingleSignOnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login lockout: five failures for one username from one address locks it for an hour.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# JSON for the API's token endpoint, the page above for the sign-in page.
AXES_LOCKOUT_CALLABLE = "govtrack.signin.lockout_response"
# A single sign-on callback carries no username: its refusals must not lock out everyone
# behind the council's one outgoing address.
AXES_WHITELIST_CALLABLE = "govtrack.oidc.is_single_sign_on_attempt"

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
# signing in, whichever comes first (0 turns either off).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_IDLE_MINUTES < 0 or SESSION_MAX_HOURS < 0:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be 0 (off) or more.")
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600 if SESSION_MAX_HOURS else 14 * 24 * 3600

# Two-factor authentication for local accounts (TOTP apps, with recovery codes); required
# for administrators. Single sign-on relies on the identity provider's own MFA instead.
OTP_TOTP_ISSUER = "govtrack"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# OpenID Connect single sign-on (Microsoft Entra ID or any OIDC provider), off by default.
# Endpoints come from OIDC_DISCOVERY_URL unless each is given.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="Microsoft")
OIDC_DISCOVERY_URL = env.str("OIDC_DISCOVERY_URL", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_ENDPOINT", default="")
OIDC_OP_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # people are invited by their organisation's admin, never created here
OIDC_TIMEOUT = 10
OIDC_CALLBACK_CLASS = "govtrack.oidc.CallbackView"
OIDC_AUTHENTICATE_CLASS = "govtrack.oidc.AuthenticateView"
if OIDC_ENABLED:
    missing = [
        name
        for name, value in [("OIDC_CLIENT_ID", OIDC_RP_CLIENT_ID), ("OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET)]
        if not value
    ]
    if not OIDC_DISCOVERY_URL and not (
        OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_USER_ENDPOINT and OIDC_OP_JWKS_ENDPOINT
    ):
        missing.append("OIDC_DISCOVERY_URL (or each of the OIDC_*_ENDPOINT variables)")
    if missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED is on but {', '.join(missing)} is not set.")

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", _("English")), ("cy", _("Cymraeg"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Board packs and evidence go through Django's storage API, so a shared backend
# (for example an S3-compatible store) can replace the local folder when govtrack
# runs on more than one machine.
STORAGES = {
    "default": {"BACKEND": env.str("FILE_STORAGE_BACKEND", default="govtrack.storage.SafeFileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest evidence file or source document accepted (its type is checked by its content).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# A JSON body to the API: its size and how deeply it may nest (a partner's month of figures is a few KB).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 32)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

try:
    vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not an email URL (e.g. smtp+tls://user:pass@host:587): {exc}") from None
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="govtrack <govtrack@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run in-process so one command gives a working app.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured(f"CELERY_BROKER_URL must be a redis:// URL; got {CELERY_BROKER_URL!r}.")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it has finished, so a worker killed mid-task (or a lost child process)
# leaves its message for the next worker; Redis hands back a message left unacknowledged for
# CELERY_VISIBILITY_TIMEOUT seconds, which must be longer than the longest task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 3,
}
# A page that queues work must not hang while Redis is away: two quick tries, then it says so.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A task that meets a passing failure (database, mail or another service away) tries again after
# 2, 4, 8... seconds (at most TASK_RETRY_BACKOFF_MAX_SECONDS, spread at random unless
# TASK_RETRY_JITTER is off), TASK_MAX_RETRIES times, then is recorded as a failed run.
TASK_MAX_RETRIES = env_int("TASK_MAX_RETRIES", 5)
TASK_RETRY_BACKOFF_SECONDS = env_int("TASK_RETRY_BACKOFF_SECONDS", 2)
TASK_RETRY_BACKOFF_MAX_SECONDS = env_int("TASK_RETRY_BACKOFF_MAX_SECONDS", 600)
TASK_RETRY_JITTER = env.bool("TASK_RETRY_JITTER", default=True)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "daily-checks": {
        "task": "govtrack.tasks.run_checks_task",
        "schedule": crontab(hour=env_int("CHECKS_HOUR", 6), minute=0),
    },
    "daily-digest": {
        "task": "govtrack.tasks.send_digests_task",
        "schedule": crontab(hour=env_int("DIGEST_HOUR", 7), minute=0),
    },
    "webhook-retries": {"task": "webhooks.tasks.deliver_due_task", "schedule": 60.0},
}
# Webhooks go only to https:// addresses that resolve to public IP addresses, unless this is on
# (a developer's machine, or a receiver on 127.0.0.1 in the tests).
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", DEBUG)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "govtrack.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["govtrack.api.permissions.OrganisationRolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "govtrack.api.filtering.GovtrackFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "govtrack.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "govtrack.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "govtrack.api.pagination.GovtrackPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="30/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
        "auth_token": env.str("API_THROTTLE_AUTH", default="10/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "govtrack.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Personal API tokens from POST /api/v1/auth/token/ last this many days.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)

SPECTACULAR_SETTINGS = {
    "TITLE": "govtrack API",
    "DESCRIPTION": (
        "Systems, risks, SLAs and audit proposals of the organisations you belong to.\n\n"
        "**Version 1 stays compatible**: within /api/v1/ nothing is removed or changes meaning; fields and "
        "operations may be added, so ignore fields you do not know. Every answer carries `API-Version: 1`. "
        "An operation that is to go is announced a release ahead: its answers carry `Deprecation`, `Sunset` "
        "and a `Link` to its entry in the changelog below.\n\n"
        "Lists take `page` and `page_size` (up to 500), or `cursor` (empty to start) to walk a large list; "
        "`modified_since` lists what changed since then, archived records included; a filter given empty or "
        "with a value it cannot take answers 400 naming it. Changes carry the version you read (`If-Match` "
        "or `version`): a stale one answers 412 or 409 with what changed, and nothing is saved.\n\n"
        "## Changelog\n\nVersion 1: nothing deprecated or removed (docs/api-changelog.md)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Deep links put a link inside each operation's toggle button (nested-interactive, tiny targets).
    # Resources start folded: with every operation open, Swagger UI draws only what is on screen, so a
    # keyboard could not tab through the list; folded, each resource opens on its own.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "filter": True, "docExpansion": "none"},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "govtrack.api.schema.add_error_responses",
    ],
    # Several models have a "status" or "kind"; name each enum after its model so the schema is stable.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "govtrack.models.Organisation.Kind",
        "MembershipStatusEnum": "govtrack.models.Membership.Status",
        "RegisterStatusEnum": "registers.models.Register.Status",
        "RiskStatusEnum": "registers.models.Risk.Status",
        "RiskActionStatusEnum": "registers.models.RiskAction.Status",
        "EscalationStatusEnum": "registers.models.Escalation.Status",
        "EscalationKindEnum": "registers.models.Escalation.Kind",
    },
}

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Security: strict by default, relaxed only for local DEBUG runs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers and docker probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_traceback_for_refusals": {"()": "govtrack.log.NoTracebackForRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_traceback_for_refusals"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own messages go to the console once (its default would print them a second time in debug mode).
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}
