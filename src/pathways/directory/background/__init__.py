"""The knowledge base's background jobs, found by the jobs registry through this module."""

from . import imports, oruk, records, search  # noqa: F401  (each registers its handlers)
