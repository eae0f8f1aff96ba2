"""Pages of the bidders portal, one module per area; their addresses are in ``urls.py``."""
