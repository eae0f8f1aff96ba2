"""Pages of the knowledge base, one module per area; each area's addresses are in ``urls/<area>.py``."""
