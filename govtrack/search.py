"""Search across the apps: each app says what it offers in its own ``search.py``, as NetBox does.

``register_search(SearchKind(...))`` names a model, the text fields to search and how to show a
hit. ``search(user, text)`` asks every kind through the model's ``visible_to(user)``, so nobody
finds what they may not see. On PostgreSQL it is full-text search (stemmed English words, ranked);
elsewhere every word must appear in one of the fields (case-insensitive), which is enough for a
council's data on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

#: The longest search text taken, and the most words used from it.
MAX_LENGTH = 200
MAX_WORDS = 8


@dataclass(frozen=True)
class SearchKind:
    name: str
    label: Promise | str
    queryset: Callable[[], QuerySet]  #: all records of the kind (scoped per person at search time)
    fields: tuple[str, ...]
    title: Callable[[object], str] = str
    detail: Callable[[object], str] = lambda record: ""
    url: Callable[[object], str] = lambda record: record.get_absolute_url()

    def hit(self, record) -> dict[str, str]:
        """What a results page shows of one record."""
        return {"title": self.title(record), "detail": self.detail(record), "url": self.url(record)}


@dataclass
class Hits:
    kind: SearchKind
    records: list
    total: int


_KINDS: dict[str, SearchKind] = {}


def register_search(kind: SearchKind) -> SearchKind:
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, SearchKind]:
    autodiscover_modules("search")
    return dict(_KINDS)


def words(text: str) -> list[str]:
    """The words searched for: bounded, without control characters (PostgreSQL refuses NUL) or empties."""
    printable = "".join(c if c.isprintable() else " " for c in (text or "")[:MAX_LENGTH])
    return printable.split()[:MAX_WORDS]


def _fallback(queryset: QuerySet, fields: tuple[str, ...], terms: list[str]) -> QuerySet:
    each_word = [reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)) for term in terms]
    return queryset.filter(reduce(and_, each_word)).order_by("-pk")


def _full_text(queryset: QuerySet, fields: tuple[str, ...], terms: list[str]) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector(*fields, config="english")
    query = SearchQuery(" ".join(terms), search_type="plain", config="english")
    return (
        queryset.annotate(gt_search=vector)
        .filter(gt_search=query)
        .annotate(gt_rank=SearchRank(vector, query))
        .order_by("-gt_rank", "-pk")
    )


def matching(kind: SearchKind, user, terms: list[str]) -> QuerySet:
    queryset = kind.queryset().visible_to(user)
    if connection.vendor == "postgresql":
        return _full_text(queryset, kind.fields, terms)
    return _fallback(queryset, kind.fields, terms)


def search(user, text: str, *, per_kind: int = 10, only: str = "") -> list[Hits]:
    """The first ``per_kind`` hits of each kind the person may see, with each kind's total."""
    terms = words(text)
    if not terms:
        return []
    found = []
    for name, kind in kinds().items():
        if only and name != only:
            continue
        queryset = matching(kind, user, terms)
        records = list(queryset[:per_kind])
        # Counted whenever the kind has hits, so a search costs the same however many match.
        total = queryset.count() if records else 0
        if total:
            found.append(Hits(kind=kind, records=records, total=total))
    return found
