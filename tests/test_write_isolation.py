"""Writes go through the same rule as reads: another organisation's record in any field is refused.

Generated from the API's routers and from the site's form pages, so a new endpoint, serializer
field, page or form field is covered without writing a test for it. For every related field that
a create or an update accepts, each persona submits organisation B's record in it:

- an officer of A (who owns A's records), a manager of A, A's partner service account, and a
  manager of A who is also a viewer in B (so B's records are visible to them, yet not linkable);
- the answer is 400 naming the field (or 403/404 for a record the persona may not change at all),
  and nothing is written.

A control submission of the same data without B's record must succeed, so the test shows that
the refusal comes from the field (and fails if a serializer's or form's scoping is removed).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import mixins
from rest_framework.relations import ManyRelatedField, RelatedField, SlugRelatedField
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from govtrack import access
from govtrack.api.urls import router
from tests.scoping_world import build_world

User = get_user_model()
UNIQUE_TEXT = ("name", "reference", "slug", "title", "code")
#: Records unique by their links, not a text: a copy links the other way round (an integration B → A).
UNIQUE_LINKS = {"Integration": ("source", "target")}
#: Statements that change data, apart from the session and sign-in bookkeeping every request may touch
#: (an API token's last-used time among them: the token was used, whatever the answer).
WRITE = re.compile(
    r'^(?!\s*UPDATE "govtrack_apitoken" SET "last_used_at" = [^,]+ WHERE "govtrack_apitoken"\."id" = \d+\s*$)'
    r'\s*(INSERT|UPDATE|DELETE)\b(?!.*"(django_session|axes_\w+|auth_user)")',
    re.I | re.S,
)


@pytest.fixture
def world(db):
    return build_world()


def _writes(queries) -> list[str]:
    return [q["sql"][:160] for q in queries if WRITE.match(q["sql"])]


def _personas(world):
    return {
        "officer of A": world.a.officer,
        "manager of A": world.a.manager,
        "service account of A": world.service_account.user,
        "manager of A, viewer in B": world.viewer_in_b,
    }


def _client(user, world) -> APIClient:
    client = APIClient()
    if user == world.service_account.user:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.token}")
    else:
        client.force_authenticate(user)
    return client


# -- the API ---------------------------------------------------------------------------------------------------


def _writable_endpoints():
    for prefix, viewset, basename in router.registry:
        actions = set()
        if issubclass(viewset, mixins.CreateModelMixin):
            actions.add("create")
        if issubclass(viewset, mixins.UpdateModelMixin):
            actions |= {"update", "partial_update"}
        if actions and getattr(viewset, "serializer_class", None) is not None:
            yield prefix, viewset, basename, actions


def _serializer(viewset, user, instance=None):
    request = APIRequestFactory().get("/")
    force_authenticate(request, user)
    request.user = user
    return viewset.serializer_class(instance=instance, context={"request": request})


def _related_fields(serializer):
    """Writable fields that take a record: name → (relation, many)."""
    found = {}
    for name, fld in serializer.fields.items():
        if fld.read_only:
            continue
        if isinstance(fld, ManyRelatedField):
            found[name] = (fld.child_relation, True)
        elif isinstance(fld, RelatedField):
            found[name] = (fld, False)
    return found


def _target_model(relation):
    queryset = relation.queryset if relation.queryset is not None else relation.get_queryset()
    return queryset.model


def _value(relation, record, many):
    value = getattr(record, relation.slug_field) if isinstance(relation, SlugRelatedField) else record.pk
    return [value] if many else value


def _payload(viewset, world, example):
    """A valid create payload: the A example's writable data, with its unique texts changed."""
    serializer = _serializer(viewset, world.a.manager, example)
    data = dict(serializer.data)
    writable = {name for name, fld in serializer.fields.items() if not fld.read_only}
    payload = {name: value for name, value in data.items() if name in writable and value is not None}
    for name in UNIQUE_TEXT:
        if isinstance(payload.get(name), str) and payload[name]:
            payload[name] = (payload[name] + "-copy")[-(60 if name == "slug" else 200):]
    links = UNIQUE_LINKS.get(viewset.serializer_class.Meta.model.__name__)
    if links:
        one, other = links
        payload[one], payload[other] = payload[other], payload[one]
    return payload


def _b_record(world, model, *, where):
    record = world.b.record(model)
    assert record is not None, (
        f"{where}: no record of {model.__name__} for organisation B in tests/scoping_world.py; add one so this "
        "field's scoping is tested."
    )
    return record


def test_every_writable_endpoint_has_an_example_record(world):
    for prefix, viewset, _basename, _actions in _writable_endpoints():
        model = viewset.serializer_class.Meta.model
        assert world.a.record(model) is not None, f"/api/v1/{prefix}/: add an example {model.__name__} to the world"


def test_no_endpoint_accepts_another_organisations_record_in_any_field(world):
    """Create and update through every endpoint with B's record in each related field, as each persona."""
    tried = []
    problems = []
    for prefix, viewset, _basename, actions in _writable_endpoints():
        model = viewset.serializer_class.Meta.model
        example = world.a.record(model)
        fields = _related_fields(_serializer(viewset, world.a.manager))
        for persona, user in _personas(world).items():
            client = _client(user, world)
            for name, (relation, many) in fields.items():
                target = _target_model(relation)
                scope = getattr(target, "scope", None)
                if scope is not None and scope.public:
                    continue  # a shared vocabulary (capabilities): nothing of B's to leak
                foreign = _b_record(world, target, where=f"/api/v1/{prefix}/ {name}")
                bad = _value(relation, foreign, many)
                # Where the persona cannot see B's record, the answer must be the one for a record that does
                # not exist, so it reveals nothing.
                missing = None if _sees(user, foreign) else _missing(relation, many)
                if "create" in actions:
                    payload = _payload(viewset, world, example)
                    tried.append(f"POST {prefix}.{name} as {persona}")
                    problems += _refused(client, "post", f"/api/v1/{prefix}/", payload, name, model, bad, missing)
                if "partial_update" in actions:
                    tried.append(f"PATCH {prefix}.{name} as {persona}")
                    before = _serializer(viewset, world.a.manager, model.objects.get(pk=example.pk)).data
                    problems += _refused(client, "patch", f"/api/v1/{prefix}/{example.pk}/", {}, name, model, bad,
                                         missing)
                    after = _serializer(viewset, world.a.manager, model.objects.get(pk=example.pk)).data
                    if before != after:
                        problems.append(f"PATCH {prefix}.{name} as {persona} changed the record")
    print(f"{len(tried)} writes tried")
    assert len(tried) > 50
    assert not problems, "\n".join(problems)


def _sees(user, record) -> bool:
    if isinstance(record, User):
        return access.colleagues_of(user).filter(pk=record.pk).exists()
    return access.can_view(user, record)


def _missing(relation, many):
    value = "no-such-record" if isinstance(relation, SlugRelatedField) else 987654321
    return [value] if many else value


def _refused(client, method, url, payload, name, model, bad, missing) -> list[str]:
    count = model._default_manager.count()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, payload | {name: bad}, format="json")
    where = f"{method.upper()} {url} {name}={bad!r}"
    if response.status_code in (403, 404):
        return [] if model._default_manager.count() == count else [f"{where}: {response.status_code} but written"]
    if response.status_code != 400:
        return [f"{where}: answered {response.status_code} {response.content[:200]!r}"]
    body = response.json()
    problems = []
    if name not in body:
        problems.append(f"{where}: 400 without a message for {name}: {body}")
    if _writes(queries):
        problems.append(f"{where}: 400 but wrote {_writes(queries)}")
    if missing is not None:
        unknown = getattr(client, method)(url, payload | {name: missing}, format="json").json().get(name)
        said = [str(m).replace(str(bad if not isinstance(bad, list) else bad[0]), "?") for m in body.get(name, [])]
        expected = [str(m).replace(str(missing if not isinstance(missing, list) else missing[0]), "?")
                    for m in unknown or []]
        if said != expected:
            problems.append(f"{where}: says {body.get(name)} where a missing record gets {unknown}")
    return problems


def test_the_control_payloads_are_valid(world):
    """Without B's record the same payloads are accepted, so the refusals above come from the field."""
    client = _client(world.a.manager, world)
    for prefix, viewset, _basename, actions in _writable_endpoints():
        if "create" not in actions:
            continue
        model = viewset.serializer_class.Meta.model
        payload = _payload(viewset, world, world.a.record(model))
        response = client.post(f"/api/v1/{prefix}/", payload, format="json")
        assert response.status_code == 201, (prefix, response.json())


# -- the pages -------------------------------------------------------------------------------------------------


def _routes():
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    for route in walk(get_resolver()):
        if not route.startswith(("admin/", "api/", "accounts/", "i18n/")):
            yield route


def _fill(route: str, world) -> list[str]:
    """The route with A's records in its parameters (every record that fits), or nothing."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return ["/" + route] if "(" not in route else []
    urls = []
    for record in world.a.records.values():
        values = {}
        for name in names:
            if name == "pk":
                values[name] = record.pk
            elif name.endswith("_pk"):
                parent = getattr(record, name[:-3], None)
                values[name] = getattr(parent, "pk", None)
            elif name == "slug":
                values[name] = getattr(record, "slug", None)
            elif name == "org":
                values[name] = world.a.organisation.slug
            else:
                values[name] = None
        if any(v is None for v in values.values()):
            continue
        url = route
        for name, value in values.items():
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
        urls.append("/" + url)
    return sorted(set(urls))


def _post_data(form) -> dict:
    """What the form's page would submit unchanged (a create form starts from an A record of its model)."""
    data = {}
    for name, fld in form.fields.items():
        value = form[name].value()
        if isinstance(fld, ModelMultipleChoiceField):
            data[name] = [str(getattr(v, "pk", v)) for v in (value or [])]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, date | Decimal | int):
            data[name] = str(value)
        elif value is not None:
            data[name] = str(getattr(value, "pk", value))
    return data


def _create_data(form, world) -> dict:
    from django.forms.models import model_to_dict

    model = form._meta.model
    example = world.a.record(model)
    assert example is not None, f"add an example {model.__name__} to tests/scoping_world.py"
    values = model_to_dict(example, fields=list(form.fields))
    data = {}
    for name, value in values.items():
        if isinstance(value, list):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is not None and value != "":
            data[name] = str(getattr(value, "pk", value))
        if name in UNIQUE_TEXT and name in data:
            data[name] = data[name] + "-copy"
    return data


def _form_pages(client, world):
    """(url, form) for every page whose form lets a person choose a record."""
    for route in _routes():
        for url in _fill(route, world):
            response = client.get(url)
            if response.status_code != 200 or response.context is None:
                continue
            form = response.context.get("form")
            if form is None or not hasattr(form, "_meta"):
                continue
            if any(isinstance(f, ModelChoiceField) for f in form.fields.values()):
                yield url, form


def test_no_form_accepts_another_organisations_record_in_any_field(world, client):
    problems, tried, pages = [], 0, set()
    for persona in ("officer of A", "manager of A", "manager of A, viewer in B"):
        user = _personas(world)[persona]
        client.force_login(user)
        for url, form in list(_form_pages(client, world)):
            pages.add(url)
            base = _post_data(form) if form.instance.pk else _create_data(form, world)
            control = None
            for name, fld in form.fields.items():
                if not isinstance(fld, ModelChoiceField):
                    continue
                target = fld.queryset.model
                scope = getattr(target, "scope", None)
                if scope is not None and scope.public:
                    continue
                foreign = _b_record(world, target, where=f"{url} {name}")
                value = [str(foreign.pk)] if isinstance(fld, ModelMultipleChoiceField) else str(foreign.pk)
                tried += 1
                with CaptureQueriesContext(connection) as queries:
                    response = client.post(url, base | {name: value})
                where = f"{url} {name} as {persona}"
                if response.status_code in (403, 404):
                    continue
                errors = response.context["form"].errors if response.context and "form" in response.context else {}
                if response.status_code != 200 or name not in errors:
                    problems.append(f"{where}: answered {response.status_code} with errors {dict(errors)}")
                elif _writes(queries):
                    problems.append(f"{where}: refused but wrote {_writes(queries)}")
                control = control or (url, base)
            if control is not None and persona == "manager of A":
                response = client.post(*control)
                detail = {} if response.status_code == 302 else dict(response.context["form"].errors)
                # A create page's data copies an existing record, so a uniqueness clash is expected there.
                clashes = all("already" in str(message) for message in detail.values())
                assert response.status_code == 302 or clashes, f"control submission of {control[0]} failed: {detail}"
    print(f"{tried} form submissions on {len(pages)} pages")
    for name in ("/systems/org-a/new/", "/registers/org-a/new/", "/registers/org-a/resources/risks/new/"):
        assert name in pages, f"{name} was not found by the crawl"
    assert tried > 30
    assert not problems, "\n".join(problems)
