"""Date arithmetic the ORM does not offer portably: a date less a number of days.

Django's duration arithmetic on SQLite yields datetime strings, which compare wrongly against
dates; this function gives a real date on SQLite and PostgreSQL alike.
"""

from django.db import models


class DateMinusDays(models.Func):
    """``date - days`` as a date (``days`` an integer expression)."""

    output_field = models.DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '-' || ", **extra_context
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context)

    def as_sql(self, compiler, connection, **extra_context):
        extra_context.setdefault("template", "(%(expressions)s)")
        extra_context.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra_context)
