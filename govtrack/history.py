"""How the audit trail is recorded: django-simple-history, with a record's links in the same rows.

A governed model lists the many-to-many fields its trail follows (``m2m_fields=`` here, or
``_history_m2m_fields`` on a model that inherits its history from ``GovernedModel``); each history
row then keeps the links as they were, and ``govtrack.audit`` reads what was added or removed.
The library records every link change from the ``m2m_changed`` signal, so a page, the API, an
import and a script are recorded alike. Three things are added to it here:

- A form or a serializer saves the record and then its links: the library writes a row for the
  save and another for each ``add``/``remove`` of the links, so one edit reads as three. Link
  changes made right after a save of the same record (same object, nobody else named, no other
  row since) are kept in that save's row instead; a link change that changes nothing (adding a
  link that is there) writes no row.
- A change made from the other side of a relation (``capability.systems.add(system)``) is
  recorded on the record that declares the field, not on the other one (simple-history records
  it on the wrong record, or fails, django-commons/django-simple-history#1048).
- Rows a fixture or a restore loads (``raw``) are not recorded again when their links are set.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max
from simple_history import models as simple_history

_CLEARED = "_history_cleared_links"
_LATEST = "_history_latest_row"


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple-history's ``HistoricalRecords``, with link changes recorded as one change of the declaring record."""

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("raw", False):
            # A fixture or a restore (loaddata) saves rows as they were and then sets their links:
            # the history tables are restored from the same export, so nothing is recorded.
            instance._history_loading = True
        super().post_save(instance, created, using=using, **kwargs)

    def create_historical_record_m2ms(self, history_instance, instance):
        super().create_historical_record_m2ms(history_instance, instance)
        setattr(instance, _LATEST, history_instance)  # the row that later link changes may join

    def m2m_changed(self, instance, action, attr, pk_set, reverse, model=None, **kwargs):
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or getattr(instance, "_history_loading", False):
            return
        if action in ("post_add", "post_remove") and not pk_set:
            return  # Django signals an add of links that were all there already
        if not reverse:
            if action in ("post_add", "post_remove", "post_clear") and not hasattr(
                instance, "skip_history_when_saving"
            ):
                self._record_links(instance, attr)
            return
        # From the other side: ``instance`` is the linked record and ``pk_set`` the declaring records.
        if action == "pre_clear":
            setattr(instance, _CLEARED, {**getattr(instance, _CLEARED, {}),
                                         attr: self._declaring_ids(model, attr, instance)})
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        ids = getattr(instance, _CLEARED, {}).pop(attr, []) if action == "post_clear" else pk_set
        for record in model._default_manager.filter(pk__in=ids or []):
            if hasattr(instance, "_history_user"):
                record._history_user = instance._history_user
            self._record_links(record, attr)

    @staticmethod
    def _declaring_ids(model, attr: str, linked) -> list:
        field = model._meta.get_field(attr)
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = field.m2m_reverse_field_name()
        return list(through._default_manager.filter(**{target: linked.pk}).values_list(source, flat=True))

    def _record_links(self, instance, attr: str) -> None:
        """Keep the record's links in the row of the save just made, or else in a row of their own."""
        row = getattr(instance, _LATEST, None)
        if row is not None and self._may_join(row, instance):
            for field in row._history_m2m_fields:
                getattr(type(row), field.name).model._default_manager.filter(history=row).delete()
            super().create_historical_record_m2ms(row, instance)
            return
        if not self._links_differ(instance, attr):
            return  # removing a link that was not there changes nothing
        self.create_historical_record(instance, "~")

    def _links_differ(self, instance, attr: str) -> bool:
        """The record's links of ``attr`` are not those its latest history row kept."""
        history_model = getattr(type(instance), self.manager_name).model
        latest = history_model._default_manager.filter(id=instance.pk).order_by("-history_id").first()
        if latest is None:
            return True
        field = instance._meta.get_field(attr)
        copy = getattr(history_model, attr).model
        target = copy._meta.get_field(field.m2m_reverse_field_name()).attname
        kept = set(copy._default_manager.filter(history=latest).values_list(target, flat=True))
        return kept != set(getattr(instance, attr).values_list("pk", flat=True))

    def _may_join(self, row, instance) -> bool:
        """The row is this record's latest (nobody saved it since) and no one else is changing it."""
        user = self.get_history_user(instance)
        if user is not None and user.pk != row.history_user_id:  # nobody named: whoever just saved it
            return False
        latest = (type(row)._default_manager.filter(**{instance._meta.pk.attname: instance.pk})
                  .order_by("-history_id").values_list("history_id", flat=True).first())
        return latest == row.history_id


def record_links_as_they_are(app_label: str, model_name: str, *fields: str):
    """A migration step for fields the trail starts to follow: existing history rows get today's links.

    Rows written before the links were recorded hold none, so the first change after the migration
    would read as every link added. Giving them the record's links as they are now means the trail
    reports only the link changes it saw. One INSERT ... SELECT per field, for tables of any size.
    """
    from django.db import migrations

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        history = apps.get_model(app_label, f"Historical{model_name}")
        quote = schema_editor.quote_name
        for name in fields:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            copy = apps.get_model(app_label, f"Historical{through._meta.object_name}")
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            columns = [through._meta.pk.column, through._meta.get_field(source).column,
                       through._meta.get_field(target).column]
            schema_editor.execute(
                f"INSERT INTO {quote(copy._meta.db_table)} ({', '.join(quote(c) for c in columns)}, "
                f"{quote(copy._meta.get_field('history').column)}) "
                f"SELECT {', '.join('t.' + quote(c) for c in columns)}, h.{quote(history._meta.pk.column)} "
                f"FROM {quote(through._meta.db_table)} t JOIN {quote(history._meta.db_table)} h "
                f"ON h.{quote(model._meta.pk.column)} = t.{quote(columns[1])}"
            )

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)


def record_links_made_in_bulk(through_model, rows, *, batch_size: int = 500) -> None:
    """Links inserted with ``bulk_create`` send no signal: give them to each record's latest history row.

    For generated data (``reporting.scale``), whose records get one "created" row each in bulk:
    the row then holds the links, as it would had the records been entered with them.
    """
    declaring = through_model._meta.auto_created  # the model whose field made it (False if written by hand)
    if not declaring or not hasattr(declaring, "history"):
        return
    history = declaring.history
    field = next((f for f in declaring._meta.local_many_to_many if f.remote_field.through is through_model), None)
    if field is None or field not in getattr(history.model, "_history_m2m_fields", ()):
        return
    copy = getattr(history.model, field.name).model
    source = through_model._meta.get_field(field.m2m_field_name()).attname
    rows = list(rows)
    record_ids = sorted({getattr(row, source) for row in rows})
    latest = {}
    for start in range(0, len(record_ids), batch_size):
        latest.update(history.model._default_manager.filter(id__in=record_ids[start:start + batch_size])
                      .values("id").annotate(row=Max("history_id")).values_list("id", "row"))
    copy._default_manager.bulk_create(
        [copy(history_id=latest[getattr(row, source)], **{f.attname: getattr(row, f.attname)
                                                          for f in through_model._meta.fields})
         for row in rows if getattr(row, source) in latest],
        batch_size=batch_size,
    )
