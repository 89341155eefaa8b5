"""Settings come from the environment; bad values stop start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # starts Django in subprocesses


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "SECURE_SSL_REDIRECT",
            "STATIC_MANIFEST",
            "EMAIL_URL",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
        }
    }
    clean["GOVTRACK_ENV_FILE"] = "/nonexistent/.env"  # only what each test sets
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"DEBUG": "true", "CELERY_BROKER_URL": "amqp://guest@localhost//"}, "CELERY_BROKER_URL"),
        ({"DEBUG": "true", "DATABASE_CONN_MAX_AGE": "forever"}, "DATABASE_CONN_MAX_AGE"),
        ({"DEBUG": "true", "EMAIL_URL": "pigeon://loft"}, "EMAIL_URL"),
        ({"DEBUG": "true", "SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES"),
        ({"DEBUG": "true", "OIDC_ENABLED": "true"}, "OIDC_CLIENT_ID"),
        (
            {"DEBUG": "true", "OIDC_ENABLED": "true", "OIDC_CLIENT_ID": "x", "OIDC_CLIENT_SECRET": "y"},
            "OIDC_DISCOVERY_URL",
        ),
    ],
)
def test_bad_environment_stops_start_up_naming_the_variable(env, variable):
    result = manage("check", **env)
    assert result.returncode != 0
    assert "govtrack cannot start" in result.stderr and variable in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_set_but_debug_runs_on_sqlite_with_tasks_in_process():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_production_values_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x7Gq2LmN9pRt4VwY8zAb3CdEf6GhJk1MnPqRs5TuVwXyZ0aBcDeFgHiJkLmNoPq",
        ALLOWED_HOSTS="govtrack.example.gov.uk",
        DATABASE_URL="postgres://govtrack@127.0.0.1:5432/govtrack",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """The JIT spent 0.7 s compiling a 20 ms page query at national scale; pages never gain from it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(("env", "options"), [
    ({}, "-c jit=off"),
    ({"DATABASE_URL": "postgres://govtrack@127.0.0.1:5432/govtrack?options=-c%20search_path%3Dgt"},
     "-c search_path=gt -c jit=off"),
    ({"DATABASE_JIT": "true"}, None),
])
def test_postgresql_connections_turn_jit_off_unless_asked(env, options):
    result = manage(
        "shell", "-c",
        "from django.conf import settings as s; print(repr(s.DATABASES['default'].get('OPTIONS', {}).get('options')))",
        DEBUG="true", **{"DATABASE_URL": "postgres://govtrack@127.0.0.1:5432/govtrack", **env},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(options)
