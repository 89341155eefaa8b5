"""Aggregates the ORM does not offer on both databases."""

from django.db import models


class JoinTexts(models.Aggregate):
    """The group's texts joined with ``"; "`` (SQLite ``group_concat``, PostgreSQL ``string_agg``)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '; ')"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)
