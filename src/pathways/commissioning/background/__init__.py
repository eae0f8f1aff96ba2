"""Background job handlers of the bidders portal, found by ``pathways.jobs.registry``. Each area keeps its
handlers in its own module here; importing this package registers them all."""

from . import awards, bids, market, open_data  # noqa: F401  (registers the handlers)
