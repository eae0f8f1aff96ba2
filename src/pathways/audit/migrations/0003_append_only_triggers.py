"""The database itself refuses to change or delete audit entries, whatever code or tool asks.

PostgreSQL refuses UPDATE and DELETE on every row. TRUNCATE, an administrator's act that also resets
test databases, is left to database privileges. SQLite, the one-machine default, has no TRUNCATE and
empties tables with DELETE, so there the trigger refuses UPDATE and the model refuses deletion.
"""

from django.db import migrations

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
    f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
]
SQLITE = [
    f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]


def create_triggers(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
