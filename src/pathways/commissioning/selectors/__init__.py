"""Reads of the bidders portal, one module per area."""
