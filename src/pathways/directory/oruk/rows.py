"""Writing many rows quickly, for imports of a hundred thousand services.

``bulk_create`` spends most of its time preparing each field of each model instance; an import writes
about ten rows per service. ``Table.insert`` takes plain dicts (by attribute name, such as
``organisation_id``), fills in each field's default, converts only the values whose type needs it
(UUIDs, JSON, dates and times) with the field's own ``get_db_prep_save``, and sends multi-row INSERTs.
The columns come from the model, so a field added to a model later is written with its default.

``insert_keyed`` also gives each new row its primary key: on PostgreSQL taken from the table's
sequence before the rows are sent, so nothing is read back; elsewhere read back by uuid afterwards.

``bare`` makes a model instance from known values without running ``__init__`` (for the version
snapshots, which only read attributes).
"""

import uuid

from django.db import connection
from django.db.models.base import ModelState

class RawJSON(str):
    """JSON already encoded, written to a JSONField as it is."""


_CONVERTED = {"UUIDField", "JSONField", "DateTimeField", "DateField", "TimeField", "DecimalField"}


class Table:
    def __init__(self, model):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        quote = connection.ops.quote_name
        self.names = [field.attname for field in self.fields]
        self.columns = ", ".join(quote(field.column) for field in self.fields)
        self.table = quote(model._meta.db_table)
        self.pk = model._meta.pk
        self.converters = [
            (position, _converter(field)) for position, field in enumerate(self.fields)
            if field.get_internal_type() in _CONVERTED
        ]
        # Defaults are worked out once; callable defaults are called per row only where they are not given.
        self.defaults = {}
        self.callable_defaults = {}
        for field in self.fields:
            if field.has_default() and callable(field.default):
                self.callable_defaults[field.attname] = field.default
            else:
                self.defaults[field.attname] = field.get_default()
        limit = connection.features.max_query_params or 999
        self.rows_per_statement = max(1, min(500, limit // len(self.fields)))

    def complete(self, values: dict) -> dict:
        """A copy of ``values`` with every other field's default added."""
        merged = self.defaults | values
        for name, make in self.callable_defaults.items():
            if name not in merged:
                merged[name] = make()
        return merged

    def _prepared(self, values: dict) -> list:
        values = self.complete(values)
        row = [values[name] for name in self.names]
        for position, convert in self.converters:
            value = row[position]
            if value is not None:
                row[position] = convert(value)
        return row

    def insert_keyed(self, rows: list[dict]) -> None:
        """Insert rows, each with a ``uuid`` of its own, and set each row's primary key (``id``)."""
        if not rows:
            return
        name = self.pk.attname
        if connection.vendor == "postgresql":
            sequence = f"pg_get_serial_sequence('{self.model._meta.db_table}', '{self.pk.column}')"
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT array_agg(nextval({sequence})) FROM generate_series(1, %s)", [len(rows)])
                for row, pk in zip(rows, cursor.fetchone()[0], strict=True):
                    row[name] = pk
            self._copy(rows, f"{connection.ops.quote_name(self.pk.column)}, {self.columns}",
                       lambda row: [row[name], *self._prepared(row)])
            return
        self.insert(rows)
        pks = self.pks_by_uuid([row["uuid"] for row in rows])
        for row in rows:
            row[name] = pks[row["uuid"]]

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        if connection.vendor == "sqlite":
            # SQLite's own executemany binds row after row in C, without Django rewriting the query each time.
            connection.ensure_connection()
            marks = ", ".join(["?"] * len(self.fields))
            connection.connection.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", [self._prepared(row) for row in rows]
            )
            return
        if connection.vendor == "postgresql":
            self._copy(rows, self.columns, self._prepared)
            return
        one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.rows_per_statement):
                chunk = rows[start:start + self.rows_per_statement]
                params = [value for values in chunk for value in self._prepared(values)]
                cursor.execute(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES {', '.join([one] * len(chunk))}", params
                )

    def _copy(self, rows: list[dict], columns: str, prepared) -> None:
        """PostgreSQL: COPY streams the rows in one statement, far faster than INSERTs for many rows."""
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(prepared(row))

    def pks_by_uuid(self, values: list) -> dict:
        """{uuid: primary key} for those of ``values`` (each a uuid.UUID or its canonical text) in the table."""
        return self.pks_by("uuid", values)

    def pks_by(self, name: str, values: list) -> dict:
        """{value: primary key} for those of ``values`` found in the field ``name`` (unique)."""
        found: dict = {}
        position = self.names.index(name)
        convert = next((convert for at, convert in self.converters if at == position), None) or (lambda value: value)
        column = connection.ops.quote_name(self.fields[position].column)
        pk = connection.ops.quote_name(self.pk.column)
        # PostgreSQL takes the values as one array: no statement with thousands of placeholders to parse.
        # UUIDs go as one array literal, and come back as text: far cheaper than each as a UUID parameter.
        is_uuid = connection.vendor == "postgresql" and self.fields[position].get_internal_type() == "UUIDField"
        size = 5000 if connection.vendor == "postgresql" else 500
        with connection.cursor() as cursor:
            for start in range(0, len(values), size):
                chunk = {convert(value): value for value in values[start:start + size]}
                if is_uuid:  # canonical text, as PostgreSQL writes it
                    chunk = {str(key): value for key, value in chunk.items()}
                    cursor.execute(f"SELECT {column}::text, {pk} FROM {self.table} WHERE {column} = ANY(%s::uuid[])",
                                   ["{" + ",".join(chunk) + "}"])
                elif connection.vendor == "postgresql":
                    cursor.execute(f"SELECT {column}, {pk} FROM {self.table} WHERE {column} = ANY(%s)", [list(chunk)])
                else:
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"SELECT {column}, {pk} FROM {self.table} WHERE {column} IN ({marks})", list(chunk))
                for value, key in cursor.fetchall():
                    found[chunk[value]] = key
        return found


def _converter(field):
    """The field's own conversion for the database, remembered for values that repeat (dates, times)."""
    kind = field.get_internal_type()
    if kind == "UUIDField":
        # A uuid.UUID or its canonical text (as the importer keeps them).
        if connection.vendor == "postgresql":
            return lambda value: value  # PostgreSQL reads either
        if connection.features.has_native_uuid_field:
            return lambda value: value if isinstance(value, uuid.UUID) else uuid.UUID(value)
        return lambda value: (value if isinstance(value, uuid.UUID) else uuid.UUID(value)).hex
    if kind in ("DateTimeField", "DateField", "TimeField"):
        seen = {}

        def convert(value):
            try:
                return seen[value]
            except KeyError:
                if len(seen) > 10_000:
                    seen.clear()
                converted = seen[value] = field.get_db_prep_save(value, connection)
                return converted
        return convert
    if kind == "JSONField":
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            def convert_json(value):
                if isinstance(value, RawJSON):
                    return Jsonb(value, dumps=str)
                return field.get_db_prep_save(value, connection)
            return convert_json
        return lambda value: str(value) if isinstance(value, RawJSON) else field.get_db_prep_save(value, connection)
    return lambda value: field.get_db_prep_save(value, connection)


def bare(model, values: dict, related: dict | None = None):
    """An instance of ``model`` holding ``values`` (attribute names) and cached related objects."""
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = "default"
    instance.__dict__.update(values)
    if related:
        instance._state.fields_cache.update(related)
    return instance
