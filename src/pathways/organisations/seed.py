"""Starting organisation types and roles, loaded by a data migration. Curators extend both."""

from .capabilities import Cap

ORGANISATION_TYPES = [
    # code, name, description, voluntary sector, commission, curate, agency
    ("charity", "Voluntary organisation or charity", "", True, False, False, False),
    ("social-enterprise", "Social enterprise or community interest company", "", True, False, False, False),
    ("faith-community-group", "Faith or community group", "", True, False, False, False),
    ("prison", "Prison", "A public or privately run prison or young offender institution.", False, True, False, False),
    ("probation-region", "Probation region", "The probation service for a region (a probation area before 2014).", False, True, False, False),
    ("probation-delivery-unit", "Probation delivery unit", "", False, True, False, False),
    ("prime-provider", "Prime provider", "A prime contractor that subcontracts work through a supply chain.", False, True, False, False),
    ("pcc", "Police and Crime Commissioner", "", False, True, False, False),
    ("local-authority", "Local authority", "", False, True, False, False),
    ("charitable-funder", "Charitable funder", "A trust or foundation that funds the sector.", False, True, False, False),
    (
        "infrastructure-body",
        "Infrastructure body",
        "Supports the sector; can curate the knowledge base and act as the neutral bidding agency.",
        False, False, True, True,
    ),
]

ROLES = [
    (
        "front-line-worker",
        "Front-line worker",
        "Records contacts, needs, plans and check-ins for their own caseload, and decides what is reported.",
        [Cap.RECORD_CASEWORK],
    ),
    (
        "volunteer",
        "Volunteer or peer mentor",
        "Records contacts for the clients matched to them. Sees no sensitive fields.",
        [Cap.RECORD_CONTACTS],
    ),
    (
        "manager",
        "Manager",
        "Looks after the organisation's directory entry, staff, bids, contracts, returns and dashboards.",
        [Cap.MANAGE_ORGANISATION, Cap.VIEW_AUDIT_TRAIL, Cap.RECORD_CASEWORK],
    ),
    (
        "commissioner",
        "Commissioner",
        "Publishes opportunities, manages contracts and receives returns.",
        [Cap.COMMISSION],
    ),
    (
        "partnership-development-worker",
        "Partnership development worker",
        "Runs competitions neutrally for the bidding agency, brokers consortia, answers clarifications and moderates.",
        [Cap.RUN_COMPETITIONS],
    ),
    ("evaluator", "Evaluator", "Scores the bids assigned to them, after declaring no conflict.", [Cap.EVALUATE_BIDS]),
    (
        "curator",
        "Directory curator",
        "Verifies records, handles change requests, keeps the shared lists and publishes good practice.",
        [Cap.CURATE],
    ),
]


def load(apps) -> None:
    """Create or refresh the capabilities, starting types and roles. Idempotent.

    ``apps`` is a migration's historical registry, or ``django.apps.apps``.
    """
    Capability = apps.get_model("organisations", "Capability")
    OrganisationType = apps.get_model("organisations", "OrganisationType")
    Role = apps.get_model("organisations", "Role")
    for cap in Cap:
        Capability.objects.update_or_create(code=cap.value, defaults={"name": cap.label})
    for position, (code, name, description, vcs, commission, curate, agency) in enumerate(ORGANISATION_TYPES):
        OrganisationType.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name, description=description, is_voluntary_sector=vcs, can_commission=commission,
                can_curate=curate, can_act_as_agency=agency, position=position,
            ),
        )
    for position, (code, name, description, caps) in enumerate(ROLES):
        role, _ = Role.objects.update_or_create(
            code=code, defaults=dict(name=name, description=description, position=position)
        )
        role.capabilities.set(Capability.objects.filter(code__in=[c.value for c in caps]))
