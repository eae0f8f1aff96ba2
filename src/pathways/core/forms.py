"""Forms in the GOV.UK pattern: an error summary linking to each field, and fields that keep what was typed.

Templates render ``{% error_summary form %}`` above the heading and ``{% crispy form %}`` inside their own
``<form method="post" novalidate>`` with ``{% csrf_token %}`` and the button.
"""

from crispy_forms_gds.helper import FormHelper

from .errors import DomainError


class GovukFormMixin:
    label_size = "s"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal on the field it names, or at the top of the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
