"""Reading awards: the result as the public sees it, a bidder's letters, and a letter as a PDF."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pathways.organisations import permissions as org_permissions

from ..models import Award, AwardLetter, AwardStatus, Contract


def award_current(opportunity) -> Award | None:
    """The recommendation standing now (none once every one has been sent back)."""
    return (
        opportunity.awards.live()
        .select_related("bid__bidder", "bid__consortium__lead", "approved_by", "recommended_by")
        .order_by("-recommended_at").first()
    )


def awards_sent_back(opportunity) -> list[Award]:
    """Recommendations the buyer sent back, oldest first, with who and why."""
    return list(opportunity.awards.filter(status=AwardStatus.RETURNED)
                .select_related("bid__bidder", "returned_by", "recommended_by").order_by("returned_at", "pk"))


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
