"""The audit chain becomes keyed (HMAC-SHA256 under HAVEN_AUDIT_KEYS, haven.audit.keys).

1. Each entry records the id of the key it is MACed under ("" for the plain SHA-256 entries written before).
2. PostgreSQL's `haven_audit_append` (migration 0003) is dropped: the MAC is computed in the application, because
   a database function handed the key could be replaced by the database's owner with one that keeps it.
3. Existing entries are kept as they are (the table is append-only) and anchored: one entry MACed under the
   primary audit key links to the last plain entry, so the key vouches for all of them, and its head is
   checkpointed outside the database. A database without entries needs no anchor (and no key to migrate).
"""
from django.db import migrations, models

from haven.migration_sql import postgresql_sql

PG_DROP = "DROP FUNCTION IF EXISTS haven_audit_append(text[]);"
# Adding the column rebuilds the table on SQLite, which drops its triggers: migration 0002's is put back.
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(SQLITE_TRIGGER)


def _function_sql() -> str:
    from importlib import import_module

    return import_module("haven.audit.migrations.0003_append_function").PG_CREATE


def anchor(apps, schema_editor):
    from haven.audit.anchor import anchor_plain_chain
    from haven.audit.keys import primary_key

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    if AuditEntry.objects.exclude(key_id="").exists() or not AuditEntry.objects.exists():
        return
    anchor_plain_chain(AuditEntry, AuditHead, key=primary_key())


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_function'),
    ]

    operations = [
        # Unapplied, removing the column rebuilds the table on SQLite too: the trigger is put back after it.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_trigger),
        migrations.AddField(
            model_name='auditentry',
            name='key_id',
            field=models.CharField(blank=True, default='', max_length=16),
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
        postgresql_sql([PG_DROP], [_function_sql()]),
        # Reversing leaves the anchor entry in place: the log is append-only.
        migrations.RunPython(anchor, migrations.RunPython.noop),
    ]
