"""Test settings: govtrack's one settings module, with the environment a test run needs.

Only environment defaults live here; every real setting comes from govtrack/settings.py.
DATABASE_URL from the environment still wins, which is how the suite runs on PostgreSQL.
"""

import os

os.environ.setdefault("DEBUG", "false")  # a developer's .env (DEBUG=true) must not change the suite
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP
os.environ.setdefault("STATIC_MANIFEST", "false")  # no collectstatic before tests
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")  # the browser tests use plain HTTP
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("EMAIL_URL", "consolemail://")

from govtrack.settings import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.scopetest"]  # noqa: F405
