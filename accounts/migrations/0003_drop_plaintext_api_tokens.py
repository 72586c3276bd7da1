"""Drop DRF authtoken's table: it kept every API token in plain text, and nothing reads it any more.

API tokens are django-rest-knox's now (digests only, with an expiry); people sign in again.
The table exists only where ``rest_framework.authtoken`` was installed, so this checks first.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

TABLE = "authtoken_token"


def drop_plaintext_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE in connection.introspection.table_names():
        schema_editor.execute(schema_editor.sql_delete_table % {"table": schema_editor.quote_name(TABLE)})
    # As `migrate authtoken zero` would: re-installing the app later recreates its table.
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
    ]

    operations = [
        migrations.RunPython(drop_plaintext_tokens, migrations.RunPython.noop, elidable=True),
    ]
