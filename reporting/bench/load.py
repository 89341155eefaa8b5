"""The load test: many people at once against a running server (gunicorn), for a bounded time.

Each virtual user is a manager of one of the generated organisations, signed in by a session
made here (the sign-in page itself is not what is measured), with a personal API token. In a
loop, without pause, each picks what to do by weight: the dashboard, a list (systems, a
register, a risk), an edit (the system edit form fetched and sent back changed, with its
version, as a browser does) or an API submission (an owner's comment on a system, or a read of
risks). Every answer is timed; an error is a status of 400 or more, an edit not saved, or no
answer. Sessions and tokens made here are removed at the end; the edits and comments stay.
"""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from govtrack import signin
from govtrack.models import ApiToken, Membership
from registers.models import Register, Risk
from systems_catalogue.models import System

#: What a virtual user does, and how often (weights out of 100).
MIX = {"dashboard": 20, "system list": 15, "register": 15, "risk": 10, "edit": 15, "api submit": 15, "api read": 10}


class LoadError(Exception):
    pass


@dataclass
class Persona:
    username: str
    organisation: str
    session_key: str
    token: str
    system_id: int
    register_slug: str
    risk_id: int


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times.setdefault(name, []).append(seconds)
            if error:
                self.errors[name] = self.errors.get(name, 0) + 1
                if len(self.examples) < 10:
                    self.examples.append(f"{name}: {error}")


class _Form(HTMLParser):
    """The fields of the page's own post form (the first with no ``action``, so not the header's organisation
    switcher or language form): what a browser would send."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and not a.get("action") and not self.fields:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value, self._first_option = a["name"], None, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else ""
            self.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.strip()))
            self._textarea = None


def prepare(*, users: int) -> list[Persona]:
    """A manager for each virtual user (spread over the organisations), each with a session, a token and a system."""
    managers = (
        Membership.objects.filter(role=Membership.Role.MANAGER, status=Membership.Status.ACTIVE,
                                  user__is_active=True, user__service_account__isnull=True,
                                  organisation__archived_at__isnull=True)
        .select_related("user", "organisation").order_by("organisation_id", "user_id")
    )
    by_organisation: dict[int, list[Membership]] = {}
    for membership in managers:
        by_organisation.setdefault(membership.organisation_id, []).append(membership)
    # Round the organisations, then their managers; a manager plays several users when there are few.
    spread: list[Membership] = []
    for position in range(max((len(m) for m in by_organisation.values()), default=0)):
        spread += [memberships[position] for memberships in by_organisation.values() if position < len(memberships)]
    if not spread:
        raise LoadError("No managers found: run generate_scale first.")
    chosen = [spread[n % len(spread)] for n in range(users)]
    personas = []
    used_systems: set[int] = set()
    for membership in chosen:
        organisation = membership.organisation
        system = (System.objects.filter(organisation=organisation, archived_at__isnull=True)
                  .exclude(pk__in=used_systems).order_by("pk").first())
        register = Register.objects.filter(organisation=organisation, archived_at__isnull=True).order_by("pk").first()
        risks = Risk.objects.filter(register=register, archived_at__isnull=True).order_by("pk")
        risk = risks.first() if register else None
        if system is None or register is None or risk is None:
            continue
        used_systems.add(system.pk)
        personas.append(Persona(
            username=membership.user.username, organisation=organisation.slug,
            session_key=_session_for(membership.user), token=_token_for(membership.user),
            system_id=system.pk, register_slug=register.slug, risk_id=risk.pk,
        ))
    if len(personas) < users:
        raise LoadError(f"Only {len(personas)} organisations' managers have a system, a register and a risk.")
    return personas


#: The sessions' backend: Django's model backend (the first, axes's, looks nobody up).
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _session_for(user) -> str:
    session = SessionStore()
    now = int(time.time())
    session.update({
        SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: _MODEL_BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(), signin.SIGNED_IN_AT: now, signin.LAST_SEEN_AT: now,
        signin.METHOD: signin.PASSWORD, signin.HAS_TOTP: False,
    })
    session.create()
    return session.session_key


def _token_for(user) -> str:
    _token, key = ApiToken.new(user=user, name="load test", permission=ApiToken.Permission.READ_WRITE,
                               expires_at=timezone.now() + timedelta(hours=6), created_by=user)
    return key


def clean_up(personas: list[Persona]) -> None:
    SessionStore.get_model_class().objects.filter(session_key__in=[p.session_key for p in personas]).delete()
    ApiToken.objects.filter(name="load test", user__username__in=[p.username for p in personas]).update(
        revoked_at=timezone.now())


def _virtual_user(base: str, persona: Persona, until: float, tally: Tally, seed: int, think: float = 0) -> None:
    """One person clicking through the mix; ``think`` seconds (on average, 0.5× to 1.5×) between clicks,
    as a person reads a page, or none for the worst case of every user asking at once."""
    rng = random.Random(seed)
    web = requests.Session()
    web.cookies.set(settings.SESSION_COOKIE_NAME, persona.session_key)
    api = requests.Session()
    api.headers["Authorization"] = f"Token {persona.token}"
    names, weights = list(MIX), list(MIX.values())
    counter = 0
    while time.monotonic() < until:
        counter += 1
        if think and counter > 1:
            time.sleep(min(think * rng.uniform(0.5, 1.5), max(0.0, until - time.monotonic())))
            if time.monotonic() >= until:
                break
        action = rng.choices(names, weights)[0]
        if action == "dashboard":
            _get(web, tally, action, f"{base}/")
        elif action == "system list":
            _get(web, tally, action, f"{base}/systems/{persona.organisation}/")
        elif action == "register":
            _get(web, tally, action, f"{base}/registers/{persona.organisation}/{persona.register_slug}/")
        elif action == "risk":
            _get(web, tally, action, f"{base}/registers/risks/{persona.risk_id}/")
        elif action == "edit":
            _edit(web, tally, base, persona, counter)
        elif action == "api submit":
            comment = {"system": persona.system_id, "text": f"Checked under load ({persona.username}, {counter})"}
            _timed(tally, action, lambda c=comment: api.post(f"{base}/api/v1/system-comments/", timeout=30, json=c),
                   ok=(201,))
        else:
            _get(api, tally, action, f"{base}/api/v1/risks/?page_size=20")


def _timed(tally: Tally, name: str, send, ok=(200,)):
    started = time.perf_counter()
    try:
        response = send()
    except requests.RequestException as exc:
        tally.add(name, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
        return None
    elapsed = time.perf_counter() - started
    tally.add(name, elapsed, None if response.status_code in ok else f"{response.status_code} {response.url}")
    return response


def _get(session, tally: Tally, name: str, url: str):
    return _timed(tally, name, lambda: session.get(url, timeout=30, allow_redirects=False))


def _edit(web, tally: Tally, base: str, persona: Persona, counter: int) -> None:
    url = f"{base}/systems/{persona.system_id}/edit/"
    page = _get(web, tally, "edit form", url)
    if page is None or page.status_code != 200:
        return
    form = _Form()
    form.feed(page.text)
    data = [(k, v) for k, v in form.fields if k != "purpose"] + [
        ("purpose", f"Reviewed under load by {persona.username} ({counter}).")]
    headers = {"Referer": url, "X-CSRFToken": web.cookies.get(settings.CSRF_COOKIE_NAME, "")}
    _timed(tally, "edit save", lambda: web.post(url, data=data, headers=headers, timeout=30, allow_redirects=False),
           ok=(302,))


def run(*, base: str, personas: list[Persona], seconds: float, think: float = 0, log=print) -> tuple[Tally, float]:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_virtual_user, args=(base, p, until, tally, n, think), daemon=True)
               for n, p in enumerate(personas)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return tally, time.monotonic() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def table(tally: Tally, elapsed: float, *, title: str) -> str:
    """The figures as the Markdown table of bench/README.md: requests, throughput, p50, p95 and errors."""
    lines = [f"**{title}**", "", "| Request | Count | Per second | p50 ms | p95 ms | Errors |",
             "|---|---:|---:|---:|---:|---:|"]
    everything: list[float] = []
    for name in [*MIX, "edit form", "edit save"]:
        times = tally.times.get(name)
        if not times or name == "edit":
            continue
        everything += times
        lines.append(f"| {name} | {len(times)} | {len(times) / elapsed:.1f} | {_percentile(times, .5) * 1000:.0f} | "
                     f"{_percentile(times, .95) * 1000:.0f} | {tally.errors.get(name, 0)} |")
    if everything:
        lines.append(f"| **all** | {len(everything)} | {len(everything) / elapsed:.1f} | "
                     f"{_percentile(everything, .5) * 1000:.0f} | {_percentile(everything, .95) * 1000:.0f} | "
                     f"{sum(tally.errors.values())} |")
    if tally.examples:
        lines += ["", "First errors:", *(f"- {example}" for example in tally.examples)]
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(*, bind: str, arguments: list[str], root: Path) -> subprocess.Popen:
    """gunicorn serving govtrack with these arguments; returns once /healthz answers."""
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "govtrack.wsgi:application", "--bind", bind,
                                *arguments], cwd=root)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadError(f"gunicorn stopped at once (exit {process.returncode}).")
        try:
            if requests.get(f"http://{bind}/healthz", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    raise LoadError("gunicorn did not answer /healthz within 60 seconds.")
