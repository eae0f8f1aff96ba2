"""What roles can allow. Role titles are data; these capabilities are code, because code enforces them.

Some capabilities only take effect in an organisation whose type allows them: a curator must work for
an organisation that can curate, a commissioner for one that can commission.
"""

from django.db import models


class Cap(models.TextChoices):
    RECORD_CASEWORK = "record-casework", "Record casework for their own caseload"
    RECORD_CONTACTS = "record-contacts", "Record contacts for the clients matched to them (no sensitive fields)"
    MANAGE_ORGANISATION = "manage-organisation", "Manage the organisation's entry, staff, bids, contracts and returns"
    VIEW_AUDIT_TRAIL = "view-audit-trail", "See and export the organisation's audit trail"
    COMMISSION = "commission", "Publish opportunities, manage contracts and receive returns"
    RUN_COMPETITIONS = "run-competitions", "Run competitions neutrally, broker consortia and moderate"
    EVALUATE_BIDS = "evaluate-bids", "Score the bids assigned to them"
    CURATE = "curate", "Verify records, handle change requests and keep the shared lists"


# Which organisation-type flag a capability needs, if any.
TYPE_REQUIREMENTS = {
    Cap.COMMISSION: "can_commission",
    Cap.RUN_COMPETITIONS: "can_act_as_agency",
    Cap.CURATE: "can_curate",
}
