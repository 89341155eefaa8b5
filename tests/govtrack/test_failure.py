"""Failing cleanly: no database, a crashing view, and writers at the same moment on SQLite."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_SETTINGS"))}
    base.update({"DJANGO_SETTINGS_MODULE": "govtrack.settings", "DEBUG": "false", "SECRET_KEY": "x" * 50,
                 "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false", "GOVTRACK_ENV_FILE": "/dev/null",
                 "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=120)


DOWN = """
    import json, django
    django.setup()
    from django.test import Client
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-signed-in-session"
    out = {}
    for url, headers in [("/", {}), ("/systems/", {}), ("/healthz", {}),
                         ("/api/v1/risks/", {"HTTP_AUTHORIZATION": "Token abcdefabcdef123456"})]:
        r = client.get(url, **headers)
        out[url] = [r.status_code, r["Content-Type"], r.content.decode()[:3000]]
    print(json.dumps(out))
"""


def test_with_postgresql_refusing_connections_pages_and_the_api_answer_503_without_a_traceback():
    result = _run(DOWN, DATABASE_URL="postgres://postgres@127.0.0.1:1/govtrack", DATABASE_CONN_MAX_AGE="0")
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for url, (status, _content_type, body) in answers.items():
        assert status == 503, (url, status, body)
        assert "Traceback" not in body and "OperationalError" not in body
    assert answers["/"][1].startswith("text/html") and "cannot reach its database" in answers["/"][2]
    assert json.loads(answers["/api/v1/risks/"][2])["detail"].startswith("govtrack cannot reach its database")
    assert json.loads(answers["/healthz"][2]) == {"status": "unavailable", "database": "unreachable",
                                                  "broker": "in-process"}


def _crash(request):
    raise ZeroDivisionError("a bug")


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("crash/", _crash), path("api/crash/", _crash), path("gone/", _database_gone)]
handler500 = "govtrack.views.error_500"


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_renders_without_the_database_or_the_session(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/crash/")
    assert page.status_code == 500 and b"Sorry, there is a problem" in page.content
    # Only the request's transaction bookkeeping: the page reads no session, user or organisation.
    reads = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert reads == [], reads
    assert client.get("/api/crash/").json()["detail"].startswith("Something went wrong")
    assert client.get("/gone/").status_code == 503


@pytest.mark.slow
def test_four_simultaneous_accepts_of_one_escalation_on_sqlite_give_one_acceptance_and_no_error(tmp_path):
    script = """
        import json, threading, django
        django.setup()
        from django.core.management import call_command
        from django.db import connection
        call_command("migrate", verbosity=0)
        from django.test import Client
        from govtrack.models import Membership, Organisation
        from django.contrib.auth import get_user_model
        from registers.models import Escalation, Register, Risk
        org = Organisation.objects.create(name="Org", slug="org")
        manager = get_user_model().objects.create(username="m")
        Membership.objects.create(user=manager, organisation=org, role="manager")
        top = Register.objects.create(organisation=org, name="Corporate", slug="c", level="corporate", owner=manager)
        low = Register.objects.create(organisation=org, name="Dir", slug="d", level="directorate", parent=top,
                                      directorate=org and __import__("govtrack.models").models.Directorate.objects
                                      .create(organisation=org, name="D", slug="d"), escalation_threshold=10)
        risk = Risk.objects.create(organisation=org, register=low, reference="R1", title="R", inherent_likelihood=4,
                                   inherent_impact=4, current_likelihood=4, current_impact=4)
        escalation = Escalation.objects.create(risk=risk, from_register=low, to_register=top)
        barrier, answers = threading.Barrier(4), []
        def accept():
            client = Client(raise_request_exception=False)
            client.force_login(manager)
            barrier.wait()
            r = client.post(f"/registers/escalations/{escalation.pk}/accept/", {"reason": ""})
            answers.append(r.status_code)
            connection.close()
        threads = [threading.Thread(target=accept) for _ in range(4)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(json.dumps({"answers": sorted(answers), "status": Escalation.objects.get().status}))
    """
    result = _run(script, DATABASE_URL=f"sqlite:///{tmp_path / 'govtrack.sqlite3'}", AXES_ENABLED="false")
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"answers": [200, 200, 200, 302], "status": "accepted"}, result.stderr[-3000:]
