"""The registry of scheduled checks.

Each app declares its checks in its own ``checks.py`` with ``@register_check("name")``.
A check takes ``organisation`` (or None for all) and ``today`` and returns how many new
findings it created; it must be idempotent, so running it twice creates nothing new.
``run_checks`` is the one entry point for the Celery task, the command and the UI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from govtrack.models import CheckRun, Organisation

logger = logging.getLogger(__name__)

CheckFunction = Callable[..., int]


@dataclass(frozen=True)
class Check:
    name: str
    function: CheckFunction
    description: str


_REGISTRY: dict[str, Check] = {}


def register_check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Add a check under ``name``; its docstring's first line describes it."""

    def decorator(function: CheckFunction) -> CheckFunction:
        description = (function.__doc__ or name).strip().splitlines()[0]
        _REGISTRY[name] = Check(name=name, function=function, description=description)
        return function

    return decorator


def registered_checks() -> dict[str, Check]:
    autodiscover_modules("checks")
    return dict(sorted(_REGISTRY.items()))


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
        run = CheckRun.objects.create(name=name, organisation=organisation)
        try:
            with transaction.atomic():
                run.created = checks[name].function(organisation=organisation, today=today) or 0
        except Exception as exc:  # a failing check must not stop the others; the run records why
            logger.exception("Check %s failed", name)
            run.error = f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.save(update_fields=["created", "error", "finished_at"])
        runs.append(run)
    return runs
