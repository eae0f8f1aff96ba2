"""Facet tokens leave the full-text indexes: search counts and filters facets in memory now.

Search reads the facet columns (``pathway_tokens``...) into memory (selectors/search_memory.py) and
no longer asks the database to match facet tokens, so the ``facets`` column, PostgreSQL's
``facet_vector`` with its GIN index, and the facets of SQLite's FTS5 table go. Every search row, and
every import, is that much smaller.

SQLite's FTS5 table is made again over ``text`` alone, with ``detail=none``: search asks only which
rows have every word (no phrases, no columns), which needs no more than that. Its covering index goes
too: search now reads the rows in order, all of them, when it reads them at all.
"""

import importlib

from django.db import migrations

DOCS = "directory_servicesearchdocument"
FTS = "directory_search_fts"
# As migration 0003: letters and digits only, as SQLite's unicode61 tokenizer reads them.
PG_TEXT = """strip(to_tsvector('pg_catalog.simple', regexp_replace({}, '[^[:alnum:]]+', ' ', 'g')))"""

PG_TEXT_ONLY = [
    f"""CREATE OR REPLACE FUNCTION directory_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW."text" <> '' THEN
            NEW.text_vector := {PG_TEXT.format('NEW."text"')};
            NEW."text" := '';
        END IF;
        RETURN NEW;
    END
    $$""",
    f"DROP TRIGGER IF EXISTS directory_search_vectors ON {DOCS}",
    f"""CREATE TRIGGER directory_search_vectors BEFORE INSERT OR UPDATE OF "text" ON {DOCS}
        FOR EACH ROW EXECUTE FUNCTION directory_search_vectors()""",
]
SQLITE_DROP = [
    "DROP INDEX IF EXISTS directory_search_cover",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
]
SQLITE_TEXT_ONLY = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        text, content='{DOCS}', content_rowid='service_id', tokenize='unicode61 remove_diacritics 0', detail=none
    )""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON {DOCS} BEGIN
        INSERT INTO {FTS}(rowid, text) VALUES (new.service_id, new.text);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON {DOCS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.service_id, old.text);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF text ON {DOCS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.service_id, old.text);
        INSERT INTO {FTS}(rowid, text) VALUES (new.service_id, new.text);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]


def _earlier(name: str):
    return importlib.import_module(f"pathways.directory.migrations.{name}")


def _execute(schema_editor, statements) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def before_removal(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _execute(schema_editor, PG_TEXT_ONLY)
    elif vendor == "sqlite":
        _execute(schema_editor, SQLITE_DROP)


def before_removal_undone(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        vectors = _earlier("0005_search_rows_hold_vectors_only_on_postgresql")
        _execute(schema_editor, [
            vectors._function(keep_source=False),
            f"DROP TRIGGER IF EXISTS directory_search_vectors ON {DOCS}",
            f"""CREATE TRIGGER directory_search_vectors BEFORE INSERT OR UPDATE OF "text", facets ON {DOCS}
                FOR EACH ROW EXECUTE FUNCTION directory_search_vectors()""",
        ])
    elif vendor == "sqlite":
        _execute(schema_editor, SQLITE_DROP + _earlier("0003_search_full_text").SQLITE_FORWARD)


def after_removal(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _execute(schema_editor, SQLITE_TEXT_ONLY)


def after_removal_undone(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _execute(schema_editor, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_search_generations")]

    operations = [
        migrations.RunPython(before_removal, before_removal_undone),
        migrations.RemoveIndex(model_name="servicesearchdocument", name="directory_search_facet_gin"),
        migrations.RemoveField(model_name="servicesearchdocument", name="facet_vector"),
        migrations.RemoveField(model_name="servicesearchdocument", name="facets"),
        migrations.RunPython(after_removal, after_removal_undone),
    ]
