"""Periodic work of the bidders portal, run by the Huey consumer (``pathways serve`` starts one). Each area
keeps its tasks in its own module here; importing this package registers them all.

Each task calls a service and nothing else.
"""

from . import awards, bids, evaluation, market, opportunities  # noqa: F401  (registers the tasks)
