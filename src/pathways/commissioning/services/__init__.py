"""Writes of the bidders portal, one module per area: opportunities (and their lots and criteria),
documents, proportionality, readability, pricing, readiness (the bid-readiness checklist), full_cost
(the full-cost-recovery calculator). Bids, evaluation and awards add their own modules here."""
