"""One OCDS release per stage of a published opportunity, built from what the records say.

The stages, each dated by the moment it was reached:

- ``tender``: published (as forthcoming, tender status ``planned``, or straight open, ``active``);
- ``tenderUpdate``: opened for bids, closed, evaluation started, or the details changed later;
- ``tenderCancellation``: cancelled;
- ``award``: an award confirmed (tenderers and their number appear from here on, never before);
- ``tenderUpdate`` for a lot ended without an award (the lot is ``unsuccessful`` from then on);
- ``contract``: the contract record made for the contracting cycle.

Each release carries the opportunity's current public details with the status it had at that stage.
Nothing is read from a bid except who submitted it (after award) and nothing from the evaluation except
the award's value and supplier, which the award letters make public.
"""

import re
import uuid as uuid_module
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from pathways.core.links import site_url

from ..models import (
    PUBLIC_STATUSES,
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Clarification,
    Opportunity,
    OpportunityStatus,
)
from . import codes

# A later save counts as an update of the published details only when it is this long after the last stage.
UPDATE_GRACE = timedelta(minutes=5)


def ocds_prefix() -> str:
    return settings.OCDS_PREFIX


def ocid_for(opportunity: Opportunity) -> str:
    return f"{ocds_prefix()}-{opportunity.uuid}"


_UUID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def opportunity_for_ocid(ocid: str) -> Opportunity | None:
    """The published opportunity with this ocid (our prefix only), or None."""
    prefix = f"{ocds_prefix()}-"
    match = _UUID.search(ocid or "")
    if not ocid.startswith(prefix) or match is None or ocid[len(prefix):] != match.group(1):
        return None
    return published_opportunities().filter(uuid=uuid_module.UUID(match.group(1))).first()


def published_opportunities():
    """Every opportunity the public may see, with what the releases read."""
    confirmed = Award.objects.filter(status=AwardStatus.CONFIRMED).select_related(
        "bid__bidder", "bid__consortium__lead", "lot", "contract__supplier"
    ).order_by("pk")
    submitted = Bid.objects.filter(status=BidStatus.SUBMITTED).select_related(
        "bidder", "consortium__lead"
    ).only("pk", "opportunity_id", "lot", "status", "bidder", "consortium", "submitted_at").order_by("pk")
    return (
        Opportunity.objects.published().filter(status__in=PUBLIC_STATUSES)
        .select_related("buyer", "agency")
        .annotate(has_published_answers=Exists(
            Clarification.objects.filter(opportunity=OuterRef("pk"), published_at__isnull=False)
        ))
        .prefetch_related(
            "terms", "lots", "documents",
            Prefetch("awards", queryset=confirmed, to_attr="confirmed_awards"),
            Prefetch("bids", queryset=submitted, to_attr="submitted_bids"),
        )
        .order_by("published_at", "pk")
    )


# Small pieces -----------------------------------------------------------------------------------------

def moment(value: datetime | date | None) -> str | None:
    """An RFC 3339 date-time in UTC; a date is taken as the start of that day."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=dt_timezone.utc)
    return value.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(amount) -> dict | None:
    if amount is None:
        return None
    return {"amount": int(amount), "currency": codes.CURRENCY}


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(start)


def compact(mapping: dict) -> dict:
    """Leave out what is unknown, rather than publish nulls and empty lists."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


# Parties ---------------------------------------------------------------------------------------------

def party_id(organisation) -> str:
    if organisation.charity_number:
        return f"{codes.CHARITY_SCHEME}-{organisation.charity_number}"
    if organisation.company_number:
        return f"{codes.COMPANY_SCHEME}-{organisation.company_number}"
    return str(organisation.uuid)


def identifiers(organisation) -> tuple[dict, list[dict]]:
    """The main identifier (charity number, else company number, else our uuid) and any other."""
    found = []
    if organisation.charity_number:
        found.append({"scheme": codes.CHARITY_SCHEME, "id": organisation.charity_number,
                      "legalName": organisation.name})
    if organisation.company_number:
        found.append({"scheme": codes.COMPANY_SCHEME, "id": organisation.company_number,
                      "legalName": organisation.name})
    if not found:
        return {"id": str(organisation.uuid), "legalName": organisation.name}, []
    return found[0], found[1:]


def party(organisation, roles: list[str], contact: dict | None = None) -> dict:
    identifier, additional = identifiers(organisation)
    return compact({
        "name": organisation.name,
        "id": party_id(organisation),
        "identifier": identifier,
        "additionalIdentifiers": additional,
        "address": compact({"postalCode": organisation.postcode, "countryName": "United Kingdom"})
        if organisation.postcode else None,
        "contactPoint": contact,
        "roles": roles,
    })


def reference(organisation) -> dict:
    return {"id": party_id(organisation), "name": organisation.name}


def supplier_of(bid: Bid):
    return bid.consortium.lead if bid.consortium_id else bid.bidder


class Parties:
    """Parties by organisation, each with the roles it holds, in the order first met."""

    def __init__(self):
        self._parties: dict[int, tuple] = {}

    def add(self, organisation, role: str, contact=None):
        organisation_, roles, contact_ = self._parties.get(organisation.pk, (organisation, [], None))
        if role not in roles:
            roles.append(role)
        self._parties[organisation.pk] = (organisation_, roles, contact_ or contact)

    def as_list(self) -> list[dict]:
        return [party(organisation, roles, contact) for organisation, roles, contact in self._parties.values()]


# Stages -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stage:
    key: str              # part of the release id
    tag: str              # releaseTag
    at: datetime
    tender_status: str    # our OpportunityStatus at that stage
    awarded: bool = False
    contracted: bool = False


def stages(opportunity: Opportunity) -> list[Stage]:
    """The stages the opportunity has reached, oldest first. Nothing before it was published."""
    if not opportunity.is_public:
        return []
    published = opportunity.published_at
    opened = opportunity.open_for_bids_at
    found = [Stage("tender", "tender", published,
                   OpportunityStatus.OPEN if opened is not None and opened <= published
                   else OpportunityStatus.FORTHCOMING)]
    if opened is not None and opened > published:
        found.append(Stage("open", "tenderUpdate", opened, OpportunityStatus.OPEN))
    if opportunity.closed_at is not None:
        found.append(Stage("closed", "tenderUpdate", opportunity.closed_at, OpportunityStatus.CLOSED))
    if opportunity.evaluation_started_at is not None:
        found.append(Stage("evaluation", "tenderUpdate", opportunity.evaluation_started_at,
                           OpportunityStatus.EVALUATION))
    found.extend(award_stages(opportunity))
    if opportunity.status == OpportunityStatus.CANCELLED:
        found.append(Stage("cancelled", "tenderCancellation", opportunity.cancelled_at or opportunity.updated_at,
                           OpportunityStatus.CANCELLED))
    found.sort(key=lambda stage: stage.at)
    last = found[-1]
    if opportunity.updated_at and opportunity.updated_at > last.at + UPDATE_GRACE \
            and opportunity.status != OpportunityStatus.CANCELLED:
        tag = "contractUpdate" if last.contracted else "awardUpdate" if last.awarded else "tenderUpdate"
        found.append(Stage("update", tag, opportunity.updated_at, last.tender_status, last.awarded, last.contracted))
    return found


def award_stages(opportunity: Opportunity) -> list[Stage]:
    """The award and contract releases. Without lots: one award, then one contract. With lots, each lot is
    awarded (and contracted) when its own award is confirmed, or ended when it ends without an award, and the
    tender stays active until the last."""
    awards = confirmed_awards(opportunity)
    ended = ended_lots(opportunity)
    if not awards and not ended:
        return []
    if ended or any(award.lot_id for award in awards):
        return lot_stages(opportunity, awards, ended)
    awarded_at = opportunity.awarded_at or max(award_date(award) for award in awards)
    found = [Stage("award", "award", awarded_at, OpportunityStatus.AWARDED, awarded=True)]
    contracts = [award.contract for award in awards if contract_of(award) is not None]
    if contracts:
        contracted_at = max(contract.created_at for contract in contracts)
        found.append(Stage("contract", "contract", max(contracted_at, awarded_at), OpportunityStatus.AWARDED,
                           awarded=True, contracted=True))
    return found


def lot_stages(opportunity: Opportunity, awards: list[Award], ended: list) -> list[Stage]:
    """With lots, in the order they happened: each confirmed award (and its contract), and each lot ended
    without an award, which shows the awards already released. The last of them completes the tender once the
    opportunity is awarded."""
    events = sorted([(award_confirmed_at(award), award.lot.number, award) for award in awards]
                    + [(lot.not_awarded_at, lot.number, lot) for lot in ended], key=lambda event: event[:2])
    found = []
    for index, (at, number, what) in enumerate(events):
        whole = index == len(events) - 1 and opportunity.status == OpportunityStatus.AWARDED
        status = OpportunityStatus.AWARDED if whole else OpportunityStatus.EVALUATION
        if isinstance(what, Award):
            found.append(Stage(f"award-lot{number}", "award", at, status, awarded=True))
            if contract_of(what) is not None:
                found.append(Stage(f"contract-lot{number}", "contract", at, status, awarded=True, contracted=True))
        else:
            awarded, contracted = (found[-1].awarded, found[-1].contracted) if found else (False, False)
            found.append(Stage(f"no-award-lot{number}", "tenderUpdate", at, status, awarded, contracted))
    return found


def ended_lots(opportunity: Opportunity) -> list:
    """The lots ended without an award."""
    return [lot for lot in opportunity.lots.all() if lot.not_awarded_at is not None]


def award_confirmed_at(award: Award) -> datetime:
    """When the award was confirmed: its contract is made in the same step."""
    contract = contract_of(award)
    return contract.created_at if contract is not None else award_date(award)


def released_awards(opportunity: Opportunity, stage: Stage) -> list[Award]:
    """The confirmed awards a release shows: those confirmed by the stage's moment, lot by lot."""
    awards = confirmed_awards(opportunity)
    if not any(award.lot_id for award in awards):
        return awards
    return [award for award in awards if award_confirmed_at(award) <= stage.at]


def released_bids(opportunity: Opportunity, stage: Stage) -> list[Bid]:
    """The submitted bids whose bidders a release names: with lots, only those for lots already awarded."""
    if not stage.awarded:
        return []
    bids = submitted_bids(opportunity)
    if not any(bid.lot_id for bid in bids):
        return bids
    awarded_lots = {award.lot_id for award in released_awards(opportunity, stage)}
    return [bid for bid in bids if bid.lot_id in awarded_lots]


def lot_status(opportunity: Opportunity, stage: Stage, lot, awarded_lots: set[int], bid_lots: set[int]) -> str:
    """A lot is complete once its award is released; unsuccessful once it is ended without an award, or,
    when nobody bid for it, once the rest is awarded; otherwise it follows the tender."""
    if lot.pk in awarded_lots:
        return "complete"
    if lot.not_awarded_at is not None and lot.not_awarded_at <= stage.at:
        return "unsuccessful"
    if stage.tender_status == OpportunityStatus.AWARDED and lot.pk not in bid_lots:
        return "unsuccessful"
    return codes.TENDER_STATUS[stage.tender_status]


def confirmed_awards(opportunity: Opportunity) -> list[Award]:
    awards = getattr(opportunity, "confirmed_awards", None)
    if awards is None:
        awards = list(opportunity.awards.filter(status=AwardStatus.CONFIRMED)
                      .select_related("bid__bidder", "bid__consortium__lead", "lot").order_by("pk"))
    return awards


def submitted_bids(opportunity: Opportunity) -> list[Bid]:
    bids = getattr(opportunity, "submitted_bids", None)
    if bids is None:
        bids = list(opportunity.bids.filter(status=BidStatus.SUBMITTED)
                    .select_related("bidder", "consortium__lead").order_by("pk"))
    return bids


def has_published_answers(opportunity: Opportunity) -> bool:
    found = getattr(opportunity, "has_published_answers", None)
    if found is None:
        found = opportunity.clarifications.filter(published_at__isnull=False).exists()
    return found


def contract_of(award: Award):
    try:
        return award.contract
    except Award.contract.RelatedObjectDoesNotExist:
        return None


def award_date(award: Award) -> datetime:
    return award.standstill_ends_at or award.approved_at or award.recommended_at


# The release --------------------------------------------------------------------------------------------

def release_id(opportunity: Opportunity, stage: Stage) -> str:
    return f"{ocid_for(opportunity)}-{stage.key}-{stage.at.astimezone(dt_timezone.utc):%Y%m%dT%H%M%SZ}"


def tender_section(opportunity: Opportunity, stage: Stage, procuring) -> dict:
    contract_start = opportunity.contract_starts_on
    deadline = opportunity.deadline
    opened = opportunity.open_for_bids_at
    lots = list(opportunity.lots.all())
    awarded_lots = {award.lot_id for award in released_awards(opportunity, stage)} if stage.awarded else set()
    bid_lots = {bid.lot_id for bid in submitted_bids(opportunity)} if lots else set()
    documents = [{
        "id": "notice",
        "documentType": "tenderNotice",
        "title": opportunity.title,
        "url": site_url(reverse("commissioning:opportunity", args=[opportunity.uuid])),
        "datePublished": moment(opportunity.published_at),
        "format": "text/html",
        "language": "en",
    }] + [
        compact({
            "id": str(document.pk),
            "documentType": "biddingDocuments",
            "title": document.title,
            "url": site_url(reverse("commissioning:opportunity-document", args=[opportunity.uuid, document.pk])),
            "datePublished": moment(max(document.uploaded_at, opportunity.published_at)),
            "format": document.content_type,
        })
        for document in opportunity.documents.all()
    ]
    tender = {
        "id": opportunity.reference,
        "title": opportunity.title,
        "description": opportunity.summary,
        "status": codes.TENDER_STATUS[stage.tender_status],
        "procuringEntity": reference(procuring),
        "items": [
            {
                "id": str(index),
                "description": term.name,
                "classification": {"scheme": codes.PATHWAY_SCHEME, "id": term.code, "description": term.name},
            }
            for index, term in enumerate(opportunity.terms.all(), start=1)
        ],
        "value": money(opportunity.value_maximum),
        "minValue": money(opportunity.value_minimum),
        "procurementMethod": codes.PROCUREMENT_METHOD[opportunity.procedure],
        "procurementMethodDetails": opportunity.get_procedure_display(),
        "mainProcurementCategory": codes.MAIN_PROCUREMENT_CATEGORY,
        "tenderPeriod": compact({"startDate": moment(opened), "endDate": moment(deadline)}),
        "enquiryPeriod": compact({"startDate": moment(opportunity.published_at),
                                  "endDate": moment(opportunity.clarifications_close_at)}),
        "hasEnquiries": has_published_answers(opportunity) or None,
        "awardPeriod": compact({"startDate": moment(deadline), "endDate": moment(opportunity.award_expected_on)}),
        "contractPeriod": compact({
            "startDate": moment(contract_start),
            "endDate": moment(add_months(contract_start, opportunity.duration_months) - timedelta(days=1))
            if contract_start else None,
            "durationInDays": None if contract_start else opportunity.duration_months * 30,
        }),
        "documents": documents,
        "lots": [
            compact({"id": str(lot.number), "title": lot.title, "description": lot.description,
                     "value": money(lot.value_maximum),
                     "status": lot_status(opportunity, stage, lot, awarded_lots, bid_lots)})
            for lot in lots
        ],
    }
    if stage.awarded:
        # Who bid, and how many: public only once the award (with lots, that lot's award) is confirmed.
        tenderers = {}
        for bid in released_bids(opportunity, stage):
            organisation = supplier_of(bid)
            tenderers[organisation.pk] = organisation
        tender["numberOfTenderers"] = len(tenderers)
        tender["tenderers"] = [reference(organisation) for organisation in tenderers.values()]
    result = compact(tender)
    if stage.awarded:
        result["numberOfTenderers"] = tender["numberOfTenderers"]
    return result


def award_section(opportunity: Opportunity, award: Award) -> dict:
    supplier = supplier_of(award.bid)
    return compact({
        "id": str(award.pk),
        "title": f"{opportunity.title}: {award.lot.title}" if award.lot_id else opportunity.title,
        "status": codes.AWARD_STATUS[award.status],
        "date": moment(award_date(award)),
        "value": money(award.value),
        "suppliers": [reference(supplier)],
        "relatedLots": [str(award.lot.number)] if award.lot_id else None,
    })


def contract_section(award: Award, contract) -> dict:
    return compact({
        "id": contract.reference,
        "awardID": str(award.pk),
        "title": contract.title,
        "status": codes.CONTRACT_STATUS[contract.status],
        "period": {"startDate": moment(contract.starts_on), "endDate": moment(contract.ends_on)},
        "value": money(contract.value),
        "dateSigned": moment(contract.signed_at),
    })


def release(opportunity: Opportunity, stage: Stage) -> dict:
    procuring = opportunity.agency or opportunity.buyer
    contact = compact({"name": opportunity.contact_name, "email": opportunity.contact_email}) or None
    parties = Parties()
    parties.add(opportunity.buyer, "buyer", contact if procuring == opportunity.buyer else None)
    parties.add(procuring, "procuringEntity", contact)
    awards = released_awards(opportunity, stage) if stage.awarded else []
    body = {
        "ocid": ocid_for(opportunity),
        "id": release_id(opportunity, stage),
        "date": moment(stage.at),
        "tag": [stage.tag],
        "initiationType": codes.INITIATION_TYPE,
        "language": "en",
        "buyer": reference(opportunity.buyer),
        "tender": tender_section(opportunity, stage, procuring),
    }
    if stage.awarded:
        for bid in released_bids(opportunity, stage):
            parties.add(supplier_of(bid), "tenderer")
        for award in awards:
            parties.add(supplier_of(award.bid), "supplier")
        body["awards"] = [award_section(opportunity, award) for award in awards]
    if stage.contracted:
        body["contracts"] = [
            contract_section(award, contract_of(award)) for award in awards if contract_of(award) is not None
        ]
    body["parties"] = parties.as_list()
    return body


def releases_of(opportunity: Opportunity) -> list[dict]:
    """Every release of one published opportunity, oldest first; none for a draft."""
    return [release(opportunity, stage) for stage in stages(opportunity)]
