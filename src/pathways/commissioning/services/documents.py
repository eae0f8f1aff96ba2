"""An opportunity's documents: the specification, the questions, the contract terms.

Uploads are checked by what the file is (its first bytes), not by the name or the type the browser
claims, and by size. They are stored under MEDIA_ROOT with a name Pathways chooses; the name the file
had is kept for downloading.
"""

import os
import uuid
import zipfile
from dataclasses import dataclass

from django.db import transaction

from pathways.audit.models import AuditAction
from pathways.core.errors import DomainError

from ..models import Opportunity, OpportunityDocument, OpportunityStatus
from .opportunities import check_manager, opportunity_audit, opportunity_lock

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENT_LABEL = "20 MB"
ACCEPTED_LABEL = "a PDF, Word, Excel, OpenDocument, CSV or text file"
# States in which documents may be added (addenda while bids are open) and removed (before bids are invited).
CAN_ADD = frozenset({OpportunityStatus.DRAFT, OpportunityStatus.FORTHCOMING, OpportunityStatus.OPEN})
CAN_REMOVE = frozenset({OpportunityStatus.DRAFT, OpportunityStatus.FORTHCOMING})


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", (".pdf",))
OOXML = {
    ".docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    ".pptx": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)),
}
ODF = {
    ".odt": Kind("application/vnd.oasis.opendocument.text", (".odt",)),
    ".ods": Kind("application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
}
OLE = {".doc": Kind("application/msword", (".doc",)), ".xls": Kind("application/vnd.ms-excel", (".xls",))}
TEXT = {".txt": Kind("text/plain", (".txt",)), ".csv": Kind("text/csv", (".csv",))}

ACCEPT_ATTRIBUTE = ",".join([".pdf", *OOXML, *ODF, *OLE, *TEXT])


def _refuse() -> DomainError:
    return DomainError(f"The selected file must be {ACCEPTED_LABEL}", field="file")


def document_kind(upload) -> str:
    """The content type of an uploaded file, found from its content, or a DomainError naming the problem."""
    size = upload.size or 0
    if size == 0:
        raise DomainError("The selected file is empty", field="file")
    if size > MAX_DOCUMENT_BYTES:
        raise DomainError(f"The selected file must be smaller than {MAX_DOCUMENT_LABEL}", field="file")
    extension = os.path.splitext(upload.name or "")[1].lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        if extension != ".pdf":
            raise _refuse()
        return PDF.content_type
    if head.startswith(b"PK\x03\x04") and extension in OOXML | ODF:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if extension in OOXML and "[Content_Types].xml" in names:
                    return OOXML[extension].content_type
                if extension in ODF and "mimetype" in names:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    if declared == ODF[extension].content_type:
                        return declared
        except zipfile.BadZipFile:
            pass
        finally:
            upload.seek(0)
        raise _refuse()
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and extension in OLE:
        return OLE[extension].content_type
    if extension in TEXT:
        sample = upload.read(64 * 1024)
        upload.seek(0)
        if b"\x00" in sample:
            raise _refuse()
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as error:
            # Only a character cut in two at the end of the sample is forgiven; anything else is not text.
            if not (len(sample) == 64 * 1024 and error.start >= len(sample) - 3):
                raise _refuse() from None
        return TEXT[extension].content_type
    raise _refuse()


@transaction.atomic
def document_add(*, opportunity: Opportunity, by, title: str, upload) -> OpportunityDocument:
    """Check and store a document. The file and its record are kept together or not at all."""
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    if opportunity.current_status() not in CAN_ADD:
        raise DomainError("Documents can be added until the deadline for bids.")
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter a title for the document, like “Specification”", field="title")
    content_type = document_kind(upload)
    original = os.path.basename(upload.name or "document")[:255]
    document = OpportunityDocument(
        opportunity=opportunity, title=title, original_name=original, content_type=content_type,
        size=upload.size, uploaded_by=by,
    )
    stored_as = f"{uuid.uuid4().hex}{os.path.splitext(original)[1].lower()}"
    document.file.save(stored_as, upload, save=False)
    try:
        document.save()
        opportunity_audit(by=by, opportunity=opportunity, action=AuditAction.CREATED, target=document,
               changes={"document": [None, f"{title} ({original})"]})
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_remove(*, document: OpportunityDocument, by) -> None:
    opportunity = document.opportunity
    check_manager(by, opportunity)
    opportunity_lock(opportunity)
    if opportunity.status not in CAN_REMOVE:
        raise DomainError("Documents cannot be removed once bids are invited: bidders rely on them. "
                          "Add a new version instead.")
    opportunity_audit(by=by, opportunity=opportunity, action=AuditAction.REMOVED, target=document,
           changes={"document": [f"{document.title} ({document.original_name})", None]})
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))

