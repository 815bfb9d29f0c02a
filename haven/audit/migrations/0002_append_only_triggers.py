"""The database refuses to change or remove audit rows.

PostgreSQL: UPDATE and DELETE raise. SQLite: UPDATE raises (DELETE stays
possible so test databases can be flushed; the hash chain still detects it).
"""
from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION haven_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION haven_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS haven_audit_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_entry_no_update;"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            for statement in filter(None, (s.strip() for s in sql.split(";\n"))):
                cursor.execute(statement)


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
