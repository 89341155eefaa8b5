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
