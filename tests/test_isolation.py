"""Whatever URL a person types, another organisation's records stay hidden.

Every URL of the site that takes a record's id or slug is tried with records of
Monmouthshire, by an officer of Newport (a fellow partner with no role in Monmouthshire).
No answer may be a server error, and no page may show the name of any of Monmouthshire's
private records (a name Newport's own records also carry does not count).
"""

import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from govtrack.models import Organisation

SAFE_STATUSES = {301, 302, 400, 401, 403, 404, 405}


def _patterns(resolver=None, prefix="", namespace=""):
    """(route, names of its parameters) for every URL pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            yield route, re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)


def _fill(route: str, obj) -> str | None:
    """The route with the record's pk and slug in place, or None when it takes anything else."""
    def value(name: str):
        if name in ("pk", "id") or name.endswith("_pk") or name.endswith("_id"):
            return str(obj.pk)
        if name == "slug" and getattr(obj, "slug", None):
            return obj.slug
        if name in ("org", "organisation"):
            owner = obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None)
            return owner.slug if owner is not None else None
        return None

    path = route
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        filled = value(match.group(2))
        if filled is None:
            return None
        path = path.replace(match.group(0), filled, 1)
    for match in re.finditer(r"\(\?P<(\w+)>[^)]*\)", path):
        filled = value(match.group(1))
        if filled is None:
            return None
        path = path.replace(match.group(0), filled, 1)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    if re.search(r"[()\[\]?*+\\]", path):
        return None
    return "/" + path.lstrip("/")


def _organisation_path(model, depth: int = 2) -> str | None:
    """How a model reaches its owning organisation: directly or through one parent record."""
    fields = {f.name: f for f in model._meta.get_fields() if f.concrete and f.is_relation and f.many_to_one}
    if "organisation" in fields and fields["organisation"].related_model is Organisation:
        return "organisation"
    if depth > 1:
        for name, field in fields.items():
            parent = field.related_model
            if parent is None or parent is Organisation or parent is model:
                continue
            inner = _organisation_path(parent, depth - 1)
            if inner:
                return f"{name}__{inner}"
    return None


def _scope_path(model) -> str | None:
    """The organisation path a model's scope declares, for records further than one parent away."""
    scope = getattr(model, "scope", None)
    if scope is None or scope.public or not scope.organisation_paths:
        return None
    return scope.organisation_paths[0]


def _private_records(organisation):
    """One record of each model that belongs to the organisation (directly or through its parent)."""
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions", "axes", "authtoken"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        if model is Organisation:
            yield organisation
            continue
        path = _organisation_path(model) or _scope_path(model)
        if path:
            obj = model._default_manager.filter(**{path: organisation}).order_by("pk").first()
            if obj is not None:
                yield obj


def _names(records) -> set[str]:
    return {str(r) for r in records if len(str(r)) > 8}


def _private_names(organisation, outsider) -> set[str]:
    """Names of the organisation's records that the outsider has no other reason to see."""
    secret, seen = set(), set()
    organisations: set[int | None] = set()
    people: set[int | None] = set()
    for model in apps.get_models():
        if model.__name__.startswith("Historical") or not hasattr(model, "scope"):
            continue
        if getattr(model.scope, "public", False):
            continue
        path = model.scope.organisation_paths[0] if model.scope.organisation_paths else None
        if path is None:
            continue
        secret |= _names(model._default_manager.filter(**{path: organisation.pk})[:500])
        visible = model._default_manager.visible_to(outsider)
        seen |= _names(visible[:2000])
        # A record shared with the outsider (a partnership's source, a joint board) rightly names its
        # organisation and its people: those names are seen too.
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is Organisation:
                organisations.update(visible.values_list(field.attname, flat=True)[:2000])
            elif field.many_to_one and field.related_model is get_user_model():
                people.update(visible.values_list(field.attname, flat=True)[:2000])
    seen |= _names(Organisation.objects.filter(pk__in=organisations - {None}))
    for person in get_user_model().objects.filter(pk__in=people - {None}):
        seen |= {str(person), person.get_full_name()}
    return secret - seen


def test_an_outsider_gets_no_server_error_and_sees_no_record(client, db, settings):
    call_command("load_demo")
    outsider = get_user_model().objects.get(username="newport.officer")
    client.force_login(outsider)
    monmouthshire = Organisation.objects.get(slug="monmouthshire")
    routes = [(route, params) for route, params in _patterns() if params and not route.startswith("admin/")]
    records = list(_private_records(monmouthshire))
    secrets = _private_names(monmouthshire, outsider)
    assert len(records) > 10 and len(routes) > 20 and len(secrets) > 50

    tried, problems = 0, []
    for obj in records:
        for route, _params in routes:
            url = _fill(route, obj)
            if url is None:
                continue
            tried += 1
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{response.status_code} {url} ({type(obj).__name__} {obj})")
            elif response.status_code not in SAFE_STATUSES or response.status_code == 400:
                text = response.content.decode(errors="replace")
                leaked = sorted(name for name in secrets if name in text)
                if leaked:
                    problems.append(f"{response.status_code} {url} shows {leaked[:3]}")
    print(f"tried {tried} URLs over {len(records)} records: {sorted({type(r).__name__ for r in records})}")
    assert tried > 100
    assert not problems, "\n".join(problems[:30])
