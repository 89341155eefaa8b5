"""The load test's edits are real edits: the form it reads from a page is the page's own (not the header's
organisation switcher), and sending it back saves the record, so a run's "edit save" figures mean something."""

from reporting.bench.load import _Form
from tests.systems_catalogue.factories import SystemFactory


def test_the_edit_form_read_from_a_system_page_saves_when_sent_back(login, org_a, manager_a):
    system = SystemFactory(organisation=org_a, owner=manager_a, name="Casebook")
    client = login(manager_a)
    url = f"/systems/{system.pk}/edit/"
    form = _Form()
    form.feed(client.get(url).content.decode())
    names = [name for name, _value in form.fields]
    assert "name" in names and "version" in names and "next" not in names
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    data["purpose"] = ["Changed under load"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    system.refresh_from_db()
    assert system.purpose == "Changed under load"
