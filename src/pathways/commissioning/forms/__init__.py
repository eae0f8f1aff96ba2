"""Forms of the bidders portal, one module per area. They collect what was typed; services decide."""
