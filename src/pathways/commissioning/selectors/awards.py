"""Reading awards: the result as the public sees it, a bidder's letters, and a letter as a PDF.

An opportunity with lots is awarded lot by lot: each lot has its own recommendation, standstill, letters and
contract. Without lots, the whole opportunity is awarded once (``lot`` None throughout).
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pathways.organisations import permissions as org_permissions

from ..models import Award, AwardLetter, AwardStatus, Contract, Lot
from . import evaluation as evaluation_selectors


def award_current(opportunity, lot=None) -> Award | None:
    """The recommendation standing now for ``lot`` (or the whole opportunity without lots); none once every
    one has been sent back."""
    return (
        opportunity.awards.live().filter(lot=lot)
        .select_related("bid__bidder", "bid__consortium__lead", "approved_by", "recommended_by", "lot")
        .order_by("-recommended_at").first()
    )


def awards_sent_back(opportunity, lot=None) -> list[Award]:
    """Recommendations for ``lot`` the buyer sent back, oldest first, with who and why."""
    return list(opportunity.awards.filter(status=AwardStatus.RETURNED, lot=lot)
                .select_related("bid__bidder", "returned_by", "recommended_by").order_by("returned_at", "pk"))


@dataclass
class LotAwards:
    """Where one lot's award stands (``lot`` None: the whole opportunity, which has no lots)."""

    lot: Lot | None
    award: Award | None
    sent_back: list[Award] = field(default_factory=list)


def awards_by_lot(opportunity) -> list[LotAwards]:
    """Each lot in order with its standing recommendation and those sent back; one entry without lots."""
    return [
        LotAwards(lot=lot, award=award_current(opportunity, lot), sent_back=awards_sent_back(opportunity, lot))
        for lot in evaluation_selectors.lots_competed(opportunity)
    ]


def awards_public():
    return (
        Award.objects.filter(status=AwardStatus.CONFIRMED, opportunity__published_at__isnull=False)
        .exclude(opportunity__status="draft")
        .select_related("opportunity__buyer", "bid__bidder", "bid__consortium__lead", "contract")
        .order_by("-approved_at", "pk")
    )


def contracts_public():
    return (
        Contract.objects.filter(award__status=AwardStatus.CONFIRMED, award__opportunity__published_at__isnull=False)
        .select_related("buyer", "supplier", "award__opportunity").order_by("-created_at", "pk")
    )


def letters_for_user(*, user, opportunity_id=None) -> list[AwardLetter]:
    """Letters addressed to organisations the user manages."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = org_permissions.member_organisation_ids(user)
    letters = AwardLetter.objects.filter(bid__bidder_id__in=ids).select_related(
        "award__opportunity", "bid__bidder").order_by("-sent_at", "pk")
    if opportunity_id is not None:
        letters = letters.filter(award__opportunity__uuid=opportunity_id)
    return [letter for letter in letters if org_permissions.can_manage_organisation(user, letter.bid.bidder)]


def letter_document(letter: AwardLetter) -> str:
    """The whole letter as a standalone HTML document, for the PDF."""
    return render_to_string("commissioning/awards/letter_document.html", {
        "letter": letter, "opportunity": letter.award.opportunity, "body": mark_safe(letter.html),  # noqa: S308
    })


def letter_pdf(letter: AwardLetter) -> bytes:
    from weasyprint import HTML

    return HTML(string=letter_document(letter)).write_pdf()
