"""Errors that services raise. Their messages are written for the person using Pathways."""


class DomainError(Exception):
    """A rule of the domain refused the action. ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
