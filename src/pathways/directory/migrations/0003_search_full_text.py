"""Full-text search over the search documents, kept in step with them by the database itself.

SQLite: an external-content FTS5 table over (text, facets) of directory_servicesearchdocument, with
triggers for insert, update and delete; it keeps which column a word is in but not its positions
(detail=column), as search needs no phrases, and a covering index for what search reads of each row. PostgreSQL: a trigger that fills text_vector and
facet_vector (GIN-indexed by 0001), stripped of positions for the same reason, so rows stay small.

Both read the text as runs of letters and digits, lower-cased, with no stemming and no stop words, so
the same words are indexed on both databases; search adds prefixes at query time (selectors/search.py). Other databases get neither and cannot search.
"""

from django.db import migrations

FTS = "directory_search_fts"
DOCS = "directory_servicesearchdocument"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        text, facets, content='{DOCS}', content_rowid='service_id',
        tokenize='unicode61 remove_diacritics 0', detail=column
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {DOCS} BEGIN
        INSERT INTO {FTS}(rowid, text, facets) VALUES (new.service_id, new.text, new.facets);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {DOCS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, facets) VALUES ('delete', old.service_id, old.text, old.facets);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE OF text, facets ON {DOCS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, facets) VALUES ('delete', old.service_id, old.text, old.facets);
        INSERT INTO {FTS}(rowid, text, facets) VALUES (new.service_id, new.text, new.facets);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    # Search reads these columns for every matching row: one index look-up each instead of two.
    f"""CREATE INDEX IF NOT EXISTS directory_search_cover
        ON {DOCS} (service_id, last_checked_at, has_drop_in, name, pathway_tokens, category_tokens, group_tokens,
                   area_tokens, feature_tokens)""",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS directory_search_cover",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
]

# Letters and digits only, as SQLite's unicode61 tokenizer reads them: every other character separates words.
PG_TEXT = """strip(to_tsvector('pg_catalog.simple', regexp_replace({}, '[^[:alnum:]]+', ' ', 'g')))"""
PG_FACETS = "strip(to_tsvector('pg_catalog.simple', {}))"
PG_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION directory_search_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.text_vector := {PG_TEXT.format('NEW."text"')};
        NEW.facet_vector := {PG_FACETS.format('NEW.facets')};
        RETURN NEW;
    END
    $$""",
    f"DROP TRIGGER IF EXISTS directory_search_vectors ON {DOCS}",
    f"""CREATE TRIGGER directory_search_vectors BEFORE INSERT OR UPDATE OF "text", facets ON {DOCS}
        FOR EACH ROW EXECUTE FUNCTION directory_search_vectors()""",
    f"""UPDATE {DOCS} SET text_vector = {PG_TEXT.format('"text"')},
        facet_vector = {PG_FACETS.format('facets')}""",
]
PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS directory_search_vectors ON {DOCS}",
    "DROP FUNCTION IF EXISTS directory_search_vectors()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_document_facet_tokens")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
