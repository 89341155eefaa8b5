"""The catalogue's dates: contract notice and end dates, for the system's owner."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F
from django.utils.translation import gettext as _

from govtrack.dates import Dated, register_dates, within
from govtrack.pages import record_path
from systems_catalogue.models import Contract, System


def _contracts(people: list[int] | None):
    contracts = (
        Contract.objects.active()
        .filter(system__archived_at__isnull=True, system__owner__isnull=False)
        .exclude(system__lifecycle=System.Lifecycle.RETIRED)
    )
    return contracts if people is None else contracts.filter(system__owner__in=people)


_COLUMNS = ("pk", "system_id", "system__name", "system__owner_id", "system__organisation_id")


@register_dates("contract_dates")
def contract_dates(*, people: list[int] | None, since: date | None, until: date, limit: int | None) -> Iterable[Dated]:
    """The last day to give notice (when it differs from the end) and the end date of each contract."""
    # The keys match the renewal check's (systems:contract:<pk>:<notice|end>), so a reminder and a
    # renewal alert for the same date and threshold are one notice.
    notices = within(
        _contracts(people).with_notice_on().exclude(notice_on=F("end_on")), "notice_on",
        since=since, until=until, limit=limit,
    ).values_list(*_COLUMNS, "notice_on")
    ends = within(_contracts(people), "end_on", since=since, until=until, limit=limit).values_list(
        *_COLUMNS, "end_on"
    )
    path = record_path("systems_catalogue:system_detail")
    for what, rows, label, title in (
        ("notice", notices, _("Contract notice date"), _("Last day to give notice on %(system)s's contract")),
        ("end", ends, _("Contract end"), _("%(system)s's contract ends")),
    ):
        for pk, system_id, name, owner, organisation, on in rows:
            url = f"{path(system_id)}#contract-{pk}"
            if not isinstance(on, date):  # SQLite gives the computed notice date back as text
                on = date.fromisoformat(str(on)[:10])
            yield Dated(
                person_id=owner, kind="contract", key=f"systems:contract:{pk}:{what}", on=on, label=label,
                title=title % {"system": name}, url=url,
                organisation_id=organisation,
            )
