"""Exporting the published services as Open Referral UK: a JSON list of full services (the shape of
/services/{id}), or a folder of CSV tables. Services are read and written a chunk at a time, so memory
stays flat; the file appears only when it is complete."""

import json
import shutil
from pathlib import Path

from django.db import transaction

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.organisations.models import Organisation

from ..models import Location, Publication
from . import selectors, serialise
from .mapping import FEATURES
from .tables import TableWriter

CHUNK = 500


def published_service_documents(progress=None):
    """Every published service as a full Open Referral UK service, in chunks of prefetched records."""
    services = selectors.published_services().order_by("pk")
    last = 0
    done = 0
    while True:
        chunk = list(selectors.with_everything(services.filter(pk__gt=last))[:CHUNK])
        if not chunk:
            break
        for service in chunk:
            yield serialise.service_full(service)
        last = chunk[-1].pk
        done += len(chunk)
        if progress is not None:
            progress.advance(done, f"Written {done:,} services")


def _chunked(queryset, size=CHUNK):
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].pk


def oruk_export(*, path, as_tables: bool = False, by=None, progress=None) -> int:
    """Write every published service to ``path`` (a JSON file, or a folder with ``as_tables``).

    Returns how many services were written. ``by`` None is Pathways itself (a command).
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        if as_tables:
            shutil.rmtree(partial, ignore_errors=True)
            with TableWriter(partial) as tables:
                for count, document in enumerate(published_service_documents(progress), start=1):
                    tables.service(document)
                published = Organisation.objects.filter(
                    services__publication=Publication.PUBLISHED
                ).distinct().values("pk")
                for organisation in _chunked(Organisation.objects.filter(pk__in=published)):
                    tables.organisation(serialise.organization(organisation))
                used = Location.objects.filter(
                    service_at_locations__service__publication=Publication.PUBLISHED
                ).distinct().values("pk")
                for location in _chunked(Location.objects.filter(pk__in=used).select_related("prison")):
                    tables.location(serialise.location(location))
                for vocabulary in selectors.vocabularies():
                    tables.taxonomy(serialise.taxonomy(vocabulary))
                tables.taxonomy(serialise.feature_taxonomy())
                for term in selectors.terms():
                    tables.taxonomy_term(serialise.taxonomy_term(term))
                for code, name, _field, _value in FEATURES:
                    tables.taxonomy_term(serialise.feature_term(code, name))
                tables.ensure_all()
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        else:
            with partial.open("w", encoding="utf-8") as file:
                file.write("[")
                for count, document in enumerate(published_service_documents(progress), start=1):
                    file.write("\n" if count == 1 else ",\n")
                    file.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
                file.write("\n]\n")
        with transaction.atomic():
            audit_record(
                actor=by,
                action=AuditAction.EXPORTED,
                changes={"export": [None, f"Open Referral UK {'tables' if as_tables else 'JSON'}: {path}"[:300]],
                         "services": [None, count]},
            )
            partial.replace(path)
    finally:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        else:
            partial.unlink(missing_ok=True)
    return count
