"""The scheduled-check registry and the run_checks command."""

import pytest
from django.core.management import CommandError, call_command

from govtrack import checks
from govtrack.models import CheckRun


@pytest.fixture
def counting_check(monkeypatch):
    calls = []

    def sample(*, organisation, today):
        """A sample check that finds one thing the first time only."""
        calls.append((organisation, today))
        return 1 if len(calls) == 1 else 0

    monkeypatch.setitem(checks._REGISTRY, "sample", checks.Check("sample", sample, "A sample check"))
    return calls


def test_run_checks_records_each_run(counting_check, db, capsys):
    call_command("run_checks", "--check", "sample")
    call_command("run_checks", "--check", "sample")
    assert list(CheckRun.objects.order_by("started_at").values_list("created", flat=True)) == [1, 0]
    assert "sample: 1 new" in capsys.readouterr().out


def test_run_checks_for_one_organisation(counting_check, org_a):
    call_command("run_checks", "--check", "sample", "--organisation", org_a.slug)
    assert counting_check[0][0] == org_a


def test_unknown_check_or_organisation_is_a_clear_error(counting_check, db):
    with pytest.raises(CommandError, match="Unknown check"):
        call_command("run_checks", "--check", "nope")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("run_checks", "--organisation", "nowhere")


def test_a_failing_check_is_recorded_and_the_others_still_run(monkeypatch, counting_check, db):
    def broken(*, organisation, today):
        raise RuntimeError("database fell over")

    monkeypatch.setitem(checks._REGISTRY, "broken", checks.Check("broken", broken, "Broken"))
    with pytest.raises(CommandError):
        call_command("run_checks", "--check", "broken", "--check", "sample")
    runs = {r.name: r for r in CheckRun.objects.all()}
    assert "database fell over" in runs["broken"].error and runs["sample"].created == 1


def test_manager_runs_the_checks_for_their_organisation_from_the_page(login, manager_a, org_a, counting_check,
                                                                         django_capture_on_commit_callbacks):
    client = login(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organisations/{org_a.slug}/checks/")
    assert response.status_code == 302
    assert counting_check[0][0] == org_a
    page = client.get(f"/organisations/{org_a.slug}/checks/").content.decode()
    assert "sample" in page and "A sample check" in page


@pytest.mark.parametrize("persona", ["viewer_a", "officer_a", "auditor_a"])
def test_only_managers_run_checks_but_everyone_sees_them(request, login, org_a, persona, counting_check):
    client = login(request.getfixturevalue(persona))
    assert client.get(f"/organisations/{org_a.slug}/checks/").status_code == 200
    assert client.post(f"/organisations/{org_a.slug}/checks/").status_code == 403
    assert not counting_check


def test_checks_page_of_another_organisation_is_404(login, manager_b, org_a):
    assert login(manager_b).get(f"/organisations/{org_a.slug}/checks/").status_code == 404


def test_a_check_failing_for_one_organisation_still_runs_for_the_others(monkeypatch, org_a, org_b, db):
    seen = []

    def picky(*, organisation, today):
        if organisation is None or organisation == org_a:
            raise ValueError("half-configured")
        seen.append(organisation)
        return checks.CheckResult(created=2, found={"things": 2}, skipped=["no matrix"])

    monkeypatch.setitem(checks._REGISTRY, "picky", checks.Check("picky", picky, "Picky"))
    [run] = checks.run_checks(names=["picky"])
    assert org_b in seen
    assert run.created == 2 and run.details["found"] == {"things": 2} and run.details["skipped"] == ["no matrix"]
    assert run.details["failed"] == [{"organisation": org_a.slug, "error": "ValueError: half-configured"}]
    assert org_a.slug in run.error and org_b.slug not in run.error


def test_checks_page_speaks_the_users_language_with_last_and_next_run(login, manager_a, org_a):
    checks.run_checks(names=["reminders"])
    page = login(manager_a).get(f"/organisations/{org_a.slug}/checks/").content.decode()
    assert "Reminders before things fall due" in page and "30, 7 and 1 days" in page
    assert "Risks that reached their register" in page
    assert "The next daily run is at" in page
    assert "all organisations" in page and "Not run yet" in page


def test_checks_page_has_the_same_queries_however_many_runs(login, manager_a, org_a, django_assert_num_queries):
    client = login(manager_a)
    checks.run_checks()
    client.get(f"/organisations/{org_a.slug}/checks/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(f"/organisations/{org_a.slug}/checks/")
    for _ in range(3):
        checks.run_checks()
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(f"/organisations/{org_a.slug}/checks/")
