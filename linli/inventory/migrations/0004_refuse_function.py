"""`linli_refuse(reason)`: raise SQLSTATE LL409 with the reason, from inside a statement.

PostgreSQL only. Checkout's one-statement write (orders.services.checkout_at_once) runs without
an explicit transaction; when a line's stock cannot be claimed, calling this in the statement
aborts all of it, so nothing is written and no BEGIN/ROLLBACK round trips are needed."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION linli_refuse(reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'LL409', MESSAGE = reason;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS linli_refuse(text);"


def _run(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("inventory", "0003_drop_redundant_indexes")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
