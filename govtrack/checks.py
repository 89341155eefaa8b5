"""The registry of scheduled checks.

Each app declares its checks in its own ``checks.py`` with ``@register_check("name")``.
A check takes ``organisation`` (or None for all) and ``today`` and returns how many new
findings it created (or a :class:`CheckResult` saying what else it found and skipped); it must be
idempotent, so running it twice creates nothing new: the findings' own database constraints
(one open escalation per risk and register, one notice per person and key, ...) see to that.
``run_checks`` is the one entry point for the Celery task, the command and the UI.

Titles and sentences in the users' words come from ``describe_check``, so the checks page speaks
of "Risks due for review" rather than ``risk_reviews``; any app (or ``reporting``, on top) may
describe a check, in English and Welsh through gettext.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from govtrack.models import CheckRun, Organisation

logger = logging.getLogger(__name__)


@dataclass
class CheckResult:
    """What one run of a check did: new findings, what it saw (by kind), what it skipped and why."""

    created: int = 0
    found: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, other: CheckResult) -> None:
        self.created += other.created
        for kind, n in other.found.items():
            self.found[kind] = self.found.get(kind, 0) + n
        self.skipped.extend(other.skipped)


CheckFunction = Callable[..., "int | CheckResult"]


@dataclass(frozen=True)
class Check:
    name: str
    function: CheckFunction
    description: str

    @property
    def title(self) -> str:
        described = _DESCRIPTIONS.get(self.name)
        return str(described[0]) if described else self.name.replace("_", " ").capitalize()

    @property
    def sentence(self) -> str:
        described = _DESCRIPTIONS.get(self.name)
        return str(described[1]) if described else self.description


_REGISTRY: dict[str, Check] = {}
_DESCRIPTIONS: dict[str, tuple[Promise | str, Promise | str]] = {}


def register_check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Add a check under ``name``; its docstring's first line describes it until ``describe_check`` does."""

    def decorator(function: CheckFunction) -> CheckFunction:
        description = (function.__doc__ or name).strip().splitlines()[0]
        _REGISTRY[name] = Check(name=name, function=function, description=description)
        return function

    return decorator


def describe_check(name: str, *, title: Promise | str, sentence: Promise | str) -> None:
    """Give a check a title and a sentence in the users' words (lazily translated)."""
    _DESCRIPTIONS[name] = (title, sentence)


def registered_checks() -> dict[str, Check]:
    autodiscover_modules("checks")
    return dict(sorted(_REGISTRY.items()))


def _as_result(value: int | CheckResult | None) -> CheckResult:
    return value if isinstance(value, CheckResult) else CheckResult(created=int(value or 0))


def _run_one(check: Check, *, organisation: Organisation | None, today: date) -> CheckResult:
    """Run a check in a savepoint: a failure leaves nothing half-done."""
    with transaction.atomic():
        return _as_result(check.function(organisation=organisation, today=today))


def run_check_quietly(check: Check, *, today: date) -> CheckResult:
    """Run a check over every organisation without recording a run (the demo's setup uses it)."""
    return _run_one(check, organisation=None, today=today)


def _run_everywhere(check: Check, run: CheckRun, *, today: date) -> CheckResult:
    """All organisations at once (set-based); if that fails, each organisation alone, so one bad
    organisation's data does not stop the others'."""
    try:
        return _run_one(check, organisation=None, today=today)
    except Exception as exc:
        logger.exception("Check %s failed across all organisations; running it per organisation", check.name)
        everywhere = f"{type(exc).__name__}: {exc}"[:2000]
    result, failed = CheckResult(), []
    for organisation in Organisation.objects.active().order_by("pk"):
        try:
            result.add(_run_one(check, organisation=organisation, today=today))
        except Exception as exc:  # recorded on the run; the next organisation still runs
            logger.exception("Check %s failed for %s", check.name, organisation.slug)
            failed.append({"organisation": organisation.slug, "error": f"{type(exc).__name__}: {exc}"[:500]})
    if failed:
        run.details["failed"] = failed
        run.error = "; ".join(f"{f['organisation']}: {f['error']}" for f in failed)[:2000]
    else:  # every organisation passed alone (or there are none): still say the run as a whole failed
        run.error = everywhere
    return result


def run_checks(
    *, names: list[str] | None = None, organisation: Organisation | None = None, today: date | None = None
) -> list[CheckRun]:
    """Run the named checks (all by default), for one organisation or all, recording each run."""
    checks = registered_checks()
    unknown = sorted(set(names or []) - set(checks))
    if unknown:
        raise ValueError(f"Unknown check(s): {', '.join(unknown)}. Known: {', '.join(checks) or 'none'}.")
    today = today or timezone.localdate()
    runs = []
    for name in names or list(checks):
        run = CheckRun.objects.create(name=name, organisation=organisation, details={})
        try:
            if organisation is None:
                result = _run_everywhere(checks[name], run, today=today)
            else:
                result = _run_one(checks[name], organisation=organisation, today=today)
        except Exception as exc:  # a failing check must not stop the others; the run records why
            logger.exception("Check %s failed", name)
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            result = CheckResult()
        run.created = result.created
        run.details.update({"found": result.found, "skipped": result.skipped[:50]})
        run.finished_at = timezone.now()
        run.save(update_fields=["created", "error", "details", "finished_at"])
        runs.append(run)
    return runs


def latest_runs(organisation: Organisation) -> dict[str, CheckRun]:
    """Each check's latest run that covered this organisation (its own, or a run for all): two queries."""
    covering = Q(organisation=organisation) | Q(organisation__isnull=True)
    latest = CheckRun.objects.filter(covering).order_by().values("name").annotate(last=Max("pk")).values("last")
    return {run.name: run for run in CheckRun.objects.filter(pk__in=latest).select_related("organisation")}


def next_daily_run(now: datetime | None = None) -> datetime | None:
    """When Celery beat next runs the daily checks (from the schedule in the settings)."""
    entry = settings.CELERY_BEAT_SCHEDULE.get("daily-checks")
    if not entry:
        return None
    now = timezone.localtime(now or timezone.now())
    schedule = entry["schedule"]
    # remaining_estimate lands a hair before the hour; the minute is what people read.
    return (now + schedule.remaining_estimate(now) + timedelta(seconds=1)).replace(second=0, microsecond=0)
