"""What a sealed bid holds, and how it is sealed: the one format the bidder's side writes and the
evaluation reads.

A bid's draft (``Bid.draft``) is a dict:

    {
        "sections": {"<criterion id>": "answer text", ...},   # one per non-price criterion
        "price": "123456" or None,                            # whole pounds, as a string
        "full_cost_calculation": <FullCostCalculation id> or None,
        "subcontractors": [{"organisation": "name", "work": "what they do", "share_percent": 20}, ...],
        "attachments": [{"uuid": "...", "name": "plan.pdf", "content_type": "application/pdf",
                         "size": 1234, "content_hash": "<sha256>"}, ...],
    }

When submitted, the whole draft is written as canonical JSON, sealed to the opportunity's public key
with the bid as context, and its SHA-256 becomes the receipt hash. Attachments are sealed one by one
with their own context; their hashes are inside the sealed draft, so the receipt covers them too.
"""

import json
from decimal import Decimal

from .. import sealing
from ..models import Bid, BidAttachment

EMPTY_DRAFT = {"sections": {}, "price": None, "full_cost_calculation": None, "subcontractors": [], "attachments": []}


def bid_context(bid: Bid) -> str:
    return f"bid:{bid.uuid}"


def attachment_context(attachment: BidAttachment) -> str:
    return f"bid-attachment:{attachment.bid.uuid}:{attachment.uuid}"


def draft_normalised(draft: dict | None) -> dict:
    """The draft with every key present, whatever was saved so far."""
    return {**EMPTY_DRAFT, **(draft or {})}


def draft_bytes(draft: dict) -> bytes:
    """Canonical JSON: the same draft always gives the same bytes, and so the same receipt hash."""
    return json.dumps(draft_normalised(draft), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def bid_seal_draft(bid: Bid) -> str:
    """Seal ``bid.draft`` into ``bid.sealed``, clear the readable draft and return the receipt hash.
    Nothing is saved: the caller saves the bid with its status, in its own transaction."""
    plaintext = draft_bytes(bid.draft)
    bid.sealed = sealing.seal(
        public_key=bytes(bid.opportunity.sealing_public_key), plaintext=plaintext, context=bid_context(bid)
    )
    bid.receipt_hash = sealing.content_hash(plaintext)
    bid.draft = {}
    return bid.receipt_hash


def bid_unseal(bid: Bid, private_key) -> dict:
    """The draft a bid was sealed with, given the opportunity's released private key."""
    plaintext = sealing.unseal(private_key=private_key, sealed=bytes(bid.sealed), context=bid_context(bid))
    return draft_normalised(json.loads(plaintext))


def price_of(contents: dict) -> Decimal | None:
    price = contents.get("price")
    return None if price in (None, "") else Decimal(str(price))


def opened_contents(opportunity, bids) -> dict[int, dict]:
    """What each submitted bid holds, by bid id, once the bids have been opened (an audited act, after the
    deadline). Before that, or before the deadline whatever the records say, ``StillSealed``."""
    if opportunity.bids_opened_at is None:
        raise sealing.StillSealed("The bids have not been opened yet.")
    private_key = sealing.private_key_release(
        opportunity_id=str(opportunity.uuid),
        wrapped_private_key=bytes(opportunity.sealing_private_key),
        deadline=opportunity.deadline,
    )
    return {bid.pk: bid_unseal(bid, private_key) for bid in bids if bid.sealed is not None}
