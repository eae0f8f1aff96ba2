"""Sealed bids, from draft to opening.

    start ─▶ draft (sections, price, subcontractors, consortium, attachments) ─submit─▶ submitted ─withdraw─▶ withdrawn
                                                                                       (then start again)
    after the deadline: open (an audited act) ─▶ the managers read the submitted bids

A draft is readable by its own organisation only. Submitting checks everything first, then in one
transaction seals the draft and every attachment to the opportunity's key (``bid_format``), clears the
readable draft and replaces each attachment's file by its sealed bytes; the plaintext files are deleted
once the transaction has committed. If anything fails the draft stays as it was. The deadline is the
server's clock: ``timezone.now() < deadline`` or the bid is refused.
"""

import operator
import os
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record
from pathways.core.errors import DomainError
from pathways.core.mail import email_after_commit
from pathways.organisations.models import Organisation

from .. import permissions, sealing
from ..models import (
    Bid,
    BidAttachment,
    BidStatus,
    FullCostCalculation,
    Lot,
    Notification,
    Opportunity,
    OpportunityStatus,
    Procedure,
)
from ..permissions import bids as bid_permissions
from ..selectors.bids import price_criterion, section_criteria, word_count
from ..selectors.opportunities import moment_in_words
from . import bid_format
from .evaluation import panel_conflicts_recheck

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENT_LABEL = "20 MB"
MAX_ATTACHMENTS = 20
ATTACHMENT_TYPES_LABEL = "a PDF, Word, OpenDocument text, Excel, OpenDocument spreadsheet, PNG, JPEG or plain text file"
ATTACHMENT_ACCEPT = ".pdf,.doc,.docx,.odt,.xls,.xlsx,.ods,.png,.jpg,.jpeg,.txt"
MAX_PRICE = Decimal(10) ** 12
KEEP_A_COPY = ("Pathways cannot show a submitted bid back to anyone before the deadline, not even to you: it is "
               "sealed. Keep your own copy of what you submit.")


class BidProblems(DomainError):
    """Several things are wrong at once: ``problems`` is [(field, message)]."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


# Consortia: provided by the market area, imported lazily --------------------------------------------------

def consortia_led_by(organisation, opportunity) -> list:
    """Consortia ``organisation`` leads for this opportunity (empty if the market area does not provide them)."""
    try:
        from ..selectors.market import consortia_led_by as led_by
    except ImportError:
        return []
    return list(led_by(organisation, opportunity))


def consortium_ready(consortium) -> bool:
    """Whether a consortium may bid: every member has agreed (as the market area decides)."""
    try:
        from ..selectors.market import consortium_ready as ready
    except ImportError:
        return consortium.agreement_recorded_at is not None
    return bool(ready(consortium))


# Attachments: what a file is, from its bytes ---------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str


PDF = Kind("application/pdf", "PDF")
PNG = Kind("image/png", "PNG image")
JPEG = Kind("image/jpeg", "JPEG image")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet")
ODT = Kind("application/vnd.oasis.opendocument.text", "OpenDocument text")
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet")
DOC = Kind("application/msword", "Word document")
XLS = Kind("application/vnd.ms-excel", "Excel spreadsheet")
TEXT = Kind("text/plain", "Text file")

BY_EXTENSION = {
    ".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".docx": DOCX, ".xlsx": XLSX, ".odt": ODT,
    ".ods": ODS, ".doc": DOC, ".xls": XLS, ".txt": TEXT,
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse_type() -> DomainError:
    return DomainError(f"The selected file must be {ATTACHMENT_TYPES_LABEL}", field="file")


def _zip_kind(data: bytes, expected: Kind) -> bool:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if expected in (DOCX, XLSX):
                folder = "word/" if expected is DOCX else "xl/"
                return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
            if "mimetype" in names:
                return archive.read("mimetype").decode("ascii", "replace").strip() == expected.content_type
    except (zipfile.BadZipFile, KeyError, ValueError):
        return False
    return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def attachment_kind(*, name: str, data: bytes) -> Kind:
    """What an uploaded file is, judged by its bytes (the name's extension must agree), or a DomainError."""
    if not data:
        raise DomainError("The selected file is empty", field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise DomainError(f"The selected file must be smaller than {MAX_ATTACHMENT_LABEL}", field="file")
    expected = BY_EXTENSION.get(os.path.splitext(name or "")[1].lower())
    if expected is None:
        raise _refuse_type()
    matches = {
        PDF: data.startswith(b"%PDF-"),
        PNG: data.startswith(b"\x89PNG\r\n\x1a\n"),
        JPEG: data.startswith(b"\xff\xd8\xff"),
        DOC: data.startswith(OLE_MAGIC),
        XLS: data.startswith(OLE_MAGIC),
        TEXT: _is_text(data),
    }
    if expected in (DOCX, XLSX, ODT, ODS):
        ok = data.startswith(b"PK\x03\x04") and _zip_kind(data, expected)
    else:
        ok = matches[expected]
    if not ok:
        raise _refuse_type()
    return expected


# Helpers ------------------------------------------------------------------------------------------------

def _bid_audit(*, by, bid: Bid, action=AuditAction.CHANGED, changes=None, reason=""):
    """In the bidder's own trail: what it did with its bid, never what the bid says."""
    audit_record(actor=by, action=action, target=bid, acting_for=bid.bidder, owner=bid.bidder,
                 changes=changes, reason=reason)


def _check_change(by, bid: Bid) -> None:
    if by is None or not bid_permissions.can_change_bid(by, bid):
        raise PermissionDenied


def _before_deadline(opportunity: Opportunity, now: datetime) -> None:
    if opportunity.deadline is None or not now < opportunity.deadline:
        raise DomainError(f"The deadline for bids was {moment_in_words(opportunity.deadline)}. "
                          "Bids cannot be started, changed or submitted after it." if opportunity.deadline else
                          "This opportunity has no deadline for bids yet.")
    if opportunity.current_status(now) != OpportunityStatus.OPEN:
        raise DomainError("This opportunity is not open for bids.")


def _lock(bid: Bid) -> Bid:
    """The bid's row, held until the transaction ends and read afresh."""
    Bid.objects.select_for_update().filter(pk=bid.pk).values_list("pk", flat=True).first()
    return Bid.objects.select_related("opportunity", "bidder", "consortium").get(pk=bid.pk)


def _check_draft(bid: Bid, now: datetime) -> None:
    if bid.status != BidStatus.DRAFT:
        raise DomainError("This bid has been submitted and can no longer be changed. Withdraw it to start again."
                          if bid.status == BidStatus.SUBMITTED else "This bid was withdrawn.")
    _before_deadline(bid.opportunity, now)


def was_invited(*, opportunity: Opportunity, organisation) -> bool:
    return Notification.objects.filter(
        opportunity=opportunity, organisation=organisation, channel=Notification.Channel.INVITATION
    ).exists()


# Starting and drafting -----------------------------------------------------------------------------------

def _lot_problem(opportunity: Opportunity, lot: Lot | None) -> DomainError | None:
    if lot is not None and lot.opportunity_id != opportunity.pk:
        return DomainError("Choose one of this opportunity's lots", field="lot")
    if lot is None and opportunity.lots.exists():
        return DomainError("Choose the lot you are bidding for", field="lot")
    return None


def bid_start(*, opportunity: Opportunity, organisation, by, lot: Lot | None = None) -> Bid:
    """Start the organisation's bid: for the whole opportunity, or for one of its lots when it has lots. One
    live bid per organisation for each (an organisation may bid for several lots); starting again needs the
    last one withdrawn."""
    if by is None or not bid_permissions.can_start_bid(by, organisation):
        raise PermissionDenied
    if bid_permissions.is_buyer_side(organisation, opportunity):
        raise DomainError("The buyer and the agency cannot bid for their own opportunity.")
    if not opportunity.is_public:
        raise DomainError("This opportunity is not open for bids.")
    _before_deadline(opportunity, timezone.now())
    if opportunity.procedure == Procedure.MINI_COMPETITION and not was_invited(
        opportunity=opportunity, organisation=organisation
    ):
        raise DomainError("This is a mini-competition: only organisations invited from the approved list can bid.")
    if problem := _lot_problem(opportunity, lot):
        raise problem
    try:
        with transaction.atomic():
            bid = Bid.objects.create(opportunity=opportunity, lot=lot, bidder=organisation,
                                     draft=bid_format.draft_normalised({}))
            started = f"Started for {opportunity.reference}" + (f", lot {lot.number}" if lot else "")
            _bid_audit(by=by, bid=bid, action=AuditAction.CREATED, changes={"bid": [None, started]})
    except IntegrityError:
        raise DomainError(f"Your organisation already has a bid for {'this lot' if lot else 'this opportunity'}.",
                          field="lot" if lot else None) from None
    return bid


def _price_value(raw) -> tuple[str | None, str | None]:
    """(the price as a whole-pounds string, or None; a problem, or None)."""
    if raw in (None, ""):
        return None, None
    try:
        value = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        return None, "Enter your price as a whole number of pounds, like 250000"
    if value != value.to_integral_value():
        return None, "Enter your price as a whole number of pounds, like 250000"
    if value < 0:
        return None, "Enter a price of £0 or more"
    if value >= MAX_PRICE:
        return None, "Enter a price of less than £1,000,000,000,000"
    return str(int(value)), None


def _section_problems(opportunity: Opportunity, sections: dict, *, complete: bool) -> list[tuple[str, str]]:
    problems = []
    for criterion in section_criteria(opportunity):
        text = (sections.get(str(criterion.pk)) or "").strip()
        field = f"section_{criterion.pk}"
        if complete and not text:
            problems.append((field, f"Enter your answer to “{criterion.title}”"))
        elif criterion.word_limit and (words := word_count(text)) > criterion.word_limit:
            problems.append((field, f"Your answer to “{criterion.title}” must be {criterion.word_limit:,} words "
                                    f"or fewer: it has {words:,}"))
    return problems


def _subcontractor_problems(subcontractors: list[dict]) -> tuple[list[dict], list[tuple[str, str]]]:
    cleaned, problems, total = [], [], 0
    for index, row in enumerate(subcontractors):
        name = (row.get("organisation") or "").strip()
        work = (row.get("work") or "").strip()
        share = row.get("share_percent")
        if not name and not work and share in (None, ""):
            continue
        number = index + 1
        if not name:
            problems.append((f"subcontractor_{index}_organisation", f"Enter the name of subcontractor {number}"))
        if not work:
            problems.append((f"subcontractor_{index}_work", f"Enter what subcontractor {number} will do"))
        try:
            share = int(share)
            if not 1 <= share <= 100:
                raise ValueError
        except (TypeError, ValueError):
            problems.append((f"subcontractor_{index}_share_percent",
                             f"Enter subcontractor {number}’s share of the work as a whole number from 1 to 100"))
            share = 0
        total += share
        cleaned.append({"organisation": name[:200], "work": work[:1000], "share_percent": share})
    if total > 100:
        problems.append(("subcontractors", "Subcontractors’ shares of the work must add up to 100% or less"))
    return cleaned, problems


def bid_draft_save(*, bid: Bid, by, sections: dict, price=None, subcontractors=(), consortium_id=None) -> Bid:
    """Save the draft's words, price, subcontractors and consortium. Word limits are enforced now and again
    at submission; an empty section is allowed in a draft."""
    _check_change(by, bid)
    with transaction.atomic():
        bid = _lock(bid)
        _check_draft(bid, timezone.now())
        opportunity = bid.opportunity
        sections = {str(key): (value or "").strip() for key, value in (sections or {}).items()}
        wanted = {str(criterion.pk) for criterion in section_criteria(opportunity)}
        sections = {key: value for key, value in sections.items() if key in wanted}
        problems = _section_problems(opportunity, sections, complete=False)
        price_text, price_problem = _price_value(price)
        if price_problem:
            problems.append(("price", price_problem))
        cleaned, sub_problems = _subcontractor_problems(list(subcontractors or []))
        problems += sub_problems
        consortium = None
        if consortium_id not in (None, ""):
            consortium = next((c for c in consortia_led_by(bid.bidder, opportunity) if str(c.pk) == str(consortium_id)),
                              None)
            if consortium is None:
                problems.append(("consortium", "Choose a consortium your organisation leads for this opportunity"))
        if problems:
            raise BidProblems(problems)
        draft = bid_format.draft_normalised(bid.draft)
        if price_text != draft["price"]:
            draft["full_cost_calculation"] = None
        draft.update(sections=sections, price=price_text if price_criterion(opportunity) else None,
                     subcontractors=cleaned)
        bid.draft = draft
        bid.consortium = consortium
        bid.save(update_fields=["draft", "consortium"])
    return bid


def bid_price_from_calculation(*, bid: Bid, by, calculation_id) -> Bid:
    """Carry the total of a full-cost calculation the organisation saved into the bid's price."""
    _check_change(by, bid)
    with transaction.atomic():
        bid = _lock(bid)
        _check_draft(bid, timezone.now())
        calculation = FullCostCalculation.objects.filter(pk=calculation_id, organisation=bid.bidder).first()
        if calculation is None:
            raise DomainError("Choose one of your organisation’s saved calculations", field="calculation")
        if price_criterion(bid.opportunity) is None:
            raise DomainError("This opportunity does not ask for a price", field="calculation")
        draft = bid_format.draft_normalised(bid.draft)
        draft["price"] = str(int(calculation.total))
        draft["full_cost_calculation"] = calculation.pk
        bid.draft = draft
        bid.save(update_fields=["draft"])
    return bid


def attachment_add(*, bid: Bid, by, upload) -> BidAttachment:
    """Check a file by its bytes and size and keep it with the draft (under a name that says nothing)."""
    _check_change(by, bid)
    if upload is None:
        raise DomainError("Select a file", field="file")
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise DomainError(f"The selected file must be smaller than {MAX_ATTACHMENT_LABEL}", field="file")
    upload.seek(0)
    data = upload.read()
    name = os.path.basename(upload.name or "attachment")[:200]
    kind = attachment_kind(name=name, data=data)
    stored = None
    try:
        with transaction.atomic():
            bid = _lock(bid)
            _check_draft(bid, timezone.now())
            draft = bid_format.draft_normalised(bid.draft)
            if len(draft["attachments"]) >= MAX_ATTACHMENTS:
                raise DomainError(f"A bid can have up to {MAX_ATTACHMENTS} attachments", field="file")
            attachment = BidAttachment(bid=bid, size=len(data), content_hash=sealing.content_hash(data))
            attachment.file.save(f"{uuid.uuid4().hex}.draft", ContentFile(data), save=False)
            stored = attachment.file.name
            attachment.save()
            draft["attachments"] = [*draft["attachments"], {
                "uuid": str(attachment.uuid), "name": name, "content_type": kind.content_type,
                "size": len(data), "content_hash": attachment.content_hash,
            }]
            bid.draft = draft
            bid.save(update_fields=["draft"])
            _bid_audit(by=by, bid=bid, changes={"attachments": [len(draft["attachments"]) - 1,
                                                                 len(draft["attachments"])]})
    except Exception:
        if stored:
            BidAttachment.file.field.storage.delete(stored)
        raise
    return attachment


def attachment_remove(*, bid: Bid, by, attachment_id) -> None:
    _check_change(by, bid)
    with transaction.atomic():
        bid = _lock(bid)
        _check_draft(bid, timezone.now())
        attachment = bid.attachments.filter(uuid=attachment_id).first()
        if attachment is None:
            raise DomainError("That attachment is not part of this bid.")
        draft = bid_format.draft_normalised(bid.draft)
        draft["attachments"] = [item for item in draft["attachments"] if item["uuid"] != str(attachment.uuid)]
        bid.draft = draft
        bid.save(update_fields=["draft"])
        name, storage = attachment.file.name, attachment.file.storage
        attachment.delete()
        _bid_audit(by=by, bid=bid, changes={"attachments": [len(draft["attachments"]) + 1,
                                                             len(draft["attachments"])]})
        transaction.on_commit(lambda: storage.delete(name))


def draft_attachment(*, bid: Bid, attachment_id) -> tuple[dict, bytes]:
    """A draft's attachment as uploaded, for its own organisation (the caller has checked who asks)."""
    if bid.status != BidStatus.DRAFT:
        raise DomainError("A submitted bid’s attachments are sealed until the deadline.")
    attachment = bid.attachments.filter(uuid=attachment_id).first()
    meta = next((item for item in bid_format.draft_normalised(bid.draft)["attachments"]
                 if attachment is not None and item["uuid"] == str(attachment.uuid)), None)
    if meta is None:
        raise DomainError("That attachment is not part of this bid.")
    with attachment.file.open("rb") as handle:
        return meta, handle.read()


# Submitting and withdrawing --------------------------------------------------------------------------------

def submission_problems(bid: Bid) -> list[tuple[str, str]]:
    """Everything that stops this draft from being submitted, each for the bidder to fix."""
    opportunity = bid.opportunity
    draft = bid_format.draft_normalised(bid.draft)
    problems = _section_problems(opportunity, draft["sections"], complete=True)
    if price_criterion(opportunity) is not None:
        price_text, problem = _price_value(draft["price"])
        if price_text is None:
            problems.append(("price", problem or "Enter your price, in pounds"))
    _cleaned, sub_problems = _subcontractor_problems(draft["subcontractors"])
    problems += sub_problems
    if bid.consortium_id is not None and not consortium_ready(bid.consortium):
        problems.append(("consortium", f"Every member of {bid.consortium.name} must agree before the bid is "
                                       "submitted"))
    rows = {str(attachment.uuid): attachment for attachment in bid.attachments.all()}
    listed = {item["uuid"] for item in draft["attachments"]}
    if set(rows) != listed:
        problems.append(("file", "The attachments have changed while you were working: check them and try again"))
    return problems


def _bid_named(bid: Bid) -> str:
    """What the bid is for, in words: the opportunity and its reference, and the lot when it is for one."""
    opportunity = bid.opportunity
    return f"{opportunity.title} ({opportunity.reference})" + (f", {bid.lot}" if bid.lot_id else "")


def _receipt_email(bid: Bid, by) -> None:
    addresses = sorted({address for address in (getattr(by, "email", ""), bid.bidder.email) if address})
    if not addresses:
        return
    opportunity = bid.opportunity
    lot = f", lot {bid.lot.number}" if bid.lot_id else ""
    body = (
        f"{bid.bidder.name} submitted a bid for {_bid_named(bid)} on "
        f"{moment_in_words(bid.submitted_at)}.\n\n"
        f"Content hash (SHA-256) of what was sealed: {bid.receipt_hash}\n\n"
        f"The bid is sealed until the deadline, {moment_in_words(opportunity.deadline)}. {KEEP_A_COPY}\n"
        "You can withdraw it before the deadline and submit again.\n"
    )
    email_after_commit(subject=f"Receipt for your bid: {opportunity.reference}{lot}", body=body,
                       recipients=addresses)


def bid_submit(*, bid: Bid, by) -> Bid:
    """Seal the whole bid, attachments and all, or nothing. Refused at or after the deadline."""
    _check_change(by, bid)
    written: list[str] = []
    storage = BidAttachment.file.field.storage
    try:
        with transaction.atomic():
            bid = _lock(bid)
            now = timezone.now()
            _check_draft(bid, now)
            problems = submission_problems(bid)
            if problems:
                raise BidProblems(problems)
            opportunity = bid.opportunity
            public_key = bytes(opportunity.sealing_public_key)
            plaintext_files = []
            for attachment in bid.attachments.all():
                with attachment.file.open("rb") as handle:
                    data = handle.read()
                if sealing.content_hash(data) != attachment.content_hash:
                    raise DomainError("An attachment has changed since it was uploaded: remove it and upload it again.",
                                      field="file")
                sealed = sealing.seal(public_key=public_key, plaintext=data,
                                      context=bid_format.attachment_context(attachment))
                old_name = attachment.file.name
                attachment.file.save(f"{uuid.uuid4().hex}.sealed", ContentFile(sealed), save=False)
                written.append(attachment.file.name)
                attachment.save(update_fields=["file"])
                plaintext_files.append(old_name)
            receipt = bid_format.bid_seal_draft(bid)
            bid.status = BidStatus.SUBMITTED
            bid.submitted_at = now
            bid.submitted_by = by
            bid.withdrawn_at = None
            bid.save(update_fields=["sealed", "receipt_hash", "draft", "status", "submitted_at", "submitted_by"])
            _bid_audit(by=by, bid=bid, changes={"status": [BidStatus.DRAFT, BidStatus.SUBMITTED],
                                                "receipt_hash": [None, receipt]})
            transaction.on_commit(lambda: [storage.delete(name) for name in plaintext_files])
            _receipt_email(bid, by)
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    return bid


def bid_withdraw(*, bid: Bid, by) -> Bid:
    """Withdraw a submitted bid before the deadline. Its sealed content is kept for the record, never opened."""
    _check_change(by, bid)
    with transaction.atomic():
        bid = _lock(bid)
        now = timezone.now()
        if bid.status != BidStatus.SUBMITTED:
            raise DomainError("Only a submitted bid can be withdrawn.")
        if bid.opportunity.deadline is None or not now < bid.opportunity.deadline:
            raise DomainError("The deadline has passed: a bid cannot be withdrawn after it.")
        changes = {"status": [BidStatus.SUBMITTED, BidStatus.WITHDRAWN]}
        if bid.consortium_id is not None:
            # The consortium is freed for the organisation's next bid; the trail keeps which one it was.
            changes["consortium"] = [bid.consortium.name, None]
            bid.consortium = None
        bid.status = BidStatus.WITHDRAWN
        bid.withdrawn_at = now
        bid.save(update_fields=["status", "withdrawn_at", "consortium"])
        _bid_audit(by=by, bid=bid, changes=changes)
    return bid


def bid_discard(*, bid: Bid, by) -> None:
    """Throw away a draft that was never submitted, with its attachments."""
    _check_change(by, bid)
    with transaction.atomic():
        bid = _lock(bid)
        if bid.status != BidStatus.DRAFT:
            raise DomainError("Only a draft can be deleted.")
        storage = BidAttachment.file.field.storage
        names = [attachment.file.name for attachment in bid.attachments.all()]
        _bid_audit(by=by, bid=bid, action=AuditAction.REMOVED, changes={"bid": ["Draft", None]})
        bid.attachments.all().delete()
        bid.delete()
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


# Opening --------------------------------------------------------------------------------------------------

def subcontractors_known(subcontractors: list[dict]) -> list[Organisation]:
    """The organisations in Pathways that a bid's subcontractors are, matched by name (letters and digits
    only, any case): what the panel's conflict check can know of them."""
    wanted = {_name_key(row.get("organisation") or "") for row in subcontractors} - {""}
    if not wanted:
        return []
    firsts = {key[:1] for key in wanted}
    candidates = Organisation.objects.filter(
        reduce(operator.or_, (Q(name__istartswith=first) for first in firsts))
    ).only("pk", "name")
    return [organisation for organisation in candidates if _name_key(organisation.name) in wanted]


def _name_key(name: str) -> str:
    return "".join(character for character in name.casefold() if character.isalnum())


def bids_open(*, opportunity: Opportunity, by) -> Opportunity:
    """Open the bids: the audited act after which the opportunity's managers may read them. Refused before the
    deadline whatever the records say: the key itself is only released by the server's clock."""
    if by is None or not bid_permissions.can_open_bids(by, opportunity):
        raise PermissionDenied
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if opportunity.bids_opened_at is not None:
            raise DomainError("The bids have already been opened.")
        if opportunity.status == OpportunityStatus.CANCELLED:
            raise DomainError("This opportunity was cancelled: its bids are not opened.")
        now = timezone.now()
        # Raises StillSealed before the deadline; SealBroken if the key is not this server's.
        private_key = sealing.private_key_release(
            opportunity_id=str(opportunity.uuid), wrapped_private_key=bytes(opportunity.sealing_private_key),
            deadline=opportunity.deadline,
        )
        bids = list(Bid.objects.filter(opportunity=opportunity, status=BidStatus.SUBMITTED))
        for bid in bids:  # every seal must open: a broken one stops the opening, to be looked into
            contents = bid_format.bid_unseal(bid, private_key)
            bid.subcontractor_organisations.set(subcontractors_known(contents.get("subcontractors") or []))
        opportunity.bids_opened_at = now
        opportunity.bids_opened_by = by
        opportunity.save(update_fields=["bids_opened_at", "bids_opened_by"])
        # The bidders are known now: anyone on the panel with a stake in one of them leaves it.
        panel_conflicts_recheck(opportunity=opportunity)
        audit_record(
            actor=by, action=AuditAction.CHANGED, target=opportunity,
            acting_for=permissions.acting_organisation(by, opportunity), owner=opportunity.buyer,
            changes={"bids_opened_at": [None, now.isoformat()], "bids_opened": [None, len(bids)]},
        )
    return opportunity


def opened_bid(*, bid: Bid, by) -> dict:
    """What an opened bid says, for the panel (declared, without a conflict); each reading is audited."""
    opportunity = bid.opportunity
    if by is None or not bid_permissions.can_read_opened_bids(by, opportunity) or bid.status != BidStatus.SUBMITTED:
        raise PermissionDenied
    contents = bid_format.opened_contents(opportunity, [bid])[bid.pk]
    audit_record(actor=by, action=AuditAction.VIEWED, target=bid,
                 acting_for=permissions.acting_organisation(by, opportunity), owner=opportunity.buyer)
    return contents


def opened_attachment(*, bid: Bid, by, attachment_id) -> tuple[dict, bytes]:
    """An opened bid's attachment as submitted (name, type and bytes), for the panel."""
    contents = opened_bid(bid=bid, by=by)
    meta = next((item for item in contents["attachments"] if item["uuid"] == str(attachment_id)), None)
    attachment = bid.attachments.filter(uuid=attachment_id).first()
    if meta is None or attachment is None:
        raise DomainError("That attachment is not part of this bid.")
    opportunity = bid.opportunity
    private_key = sealing.private_key_release(
        opportunity_id=str(opportunity.uuid), wrapped_private_key=bytes(opportunity.sealing_private_key),
        deadline=opportunity.deadline,
    )
    with attachment.file.open("rb") as handle:
        data = sealing.unseal(private_key=private_key, sealed=handle.read(),
                              context=bid_format.attachment_context(attachment))
    if sealing.content_hash(data) != meta["content_hash"]:
        raise sealing.SealBroken("The attachment does not match the hash sealed in the bid")
    return meta, data


# Housekeeping -----------------------------------------------------------------------------------------------

PLAINTEXT_SWEEP_JOB = "commissioning.bids.plaintext_sweep"
ATTACHMENT_FOLDER = "bids"


def plaintext_files_sweep() -> int:
    """Delete any bid file on disk that no attachment refers to: a plaintext file left behind if the deletion
    after a submission's commit failed (a crash, a storage error). Returns how many were deleted."""
    storage = BidAttachment.file.field.storage
    referenced = set(BidAttachment.objects.values_list("file", flat=True))
    deleted = 0
    try:
        years, _files = storage.listdir(ATTACHMENT_FOLDER)
    except FileNotFoundError:
        return 0
    for year in years:
        _folders, files = storage.listdir(f"{ATTACHMENT_FOLDER}/{year}")
        for name in files:
            path = f"{ATTACHMENT_FOLDER}/{year}/{name}"
            if path not in referenced and name.endswith(".draft"):
                storage.delete(path)
                deleted += 1
    return deleted
