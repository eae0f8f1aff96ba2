"""The upload form of the spreadsheet import."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from pathways.core.forms import GovukFormMixin

from ..services.spreadsheet_files import IMPORT_MAX_BYTES


class SpreadsheetUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a spreadsheet",
        help_text=f"A CSV file or an Excel workbook (.xlsx), smaller than {IMPORT_MAX_BYTES // (1024 * 1024)} MB, "
                  "with the template's column headings in its first row.",
        error_messages={
            "required": "Choose a CSV or Excel file to upload",
            "empty": "The file is empty",
            "invalid": "Choose a CSV or Excel file to upload",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label
        self.helper.layout = Layout(Field("file"))
