"""Job handlers by kind. Each app declares its handlers in a ``background`` module:

    @job_handler("audit.export")
    def export(job, progress): ...
        return {"file": "...", "summary": "..."}

A handler gets the Job and a Progress to report through; it calls services and returns the outcome.
"""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

_handlers: dict[str, Callable] = {}
_discovered = False


def job_handler(kind: str):
    def register(func):
        _handlers[kind] = func
        return func

    return register


def handler_for(kind: str) -> Callable:
    global _discovered
    if not _discovered:
        autodiscover_modules("background")
        _discovered = True
    try:
        return _handlers[kind]
    except KeyError:
        raise LookupError(f"No background job handler is registered for {kind!r}") from None
