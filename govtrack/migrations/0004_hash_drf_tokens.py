"""Move Django REST framework's plaintext tokens to hashed govtrack API tokens, then drop their table.

Partners' existing keys keep working (they are looked up by their first characters and checked
against the hash); the plaintext copies go, and with them rest_framework.authtoken.
"""

import hashlib
from datetime import timezone as dt_timezone

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

LEGACY_TABLE = "authtoken_token"
PREFIX_LENGTH = 12


def hash_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("govtrack", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id, created FROM {LEGACY_TABLE}")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        token = ApiToken.objects.create(
            user_id=user_id,
            name="Token from before hashed tokens",
            prefix=key[:PREFIX_LENGTH],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            permission="read_write",  # what every token could do before scopes existed
        )
        if isinstance(created, str):
            created = parse_datetime(created)
        if created is not None:
            if timezone.is_naive(created):  # SQLite keeps UTC without saying so
                created = timezone.make_aware(created, dt_timezone.utc)
            ApiToken.objects.filter(pk=token.pk).update(created_at=created)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {LEGACY_TABLE}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("govtrack", "0003_api_tokens")]

    operations = [migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop)]
