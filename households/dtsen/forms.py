from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from households.dtsen.reading import empty_file_message, too_large_message
from households.dtsen.services import current_period, validate_period

ACCEPTED_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv", ".txt")


class TableFileField(forms.FileField):
    """A spreadsheet or CSV upload: not empty, not over TKPK_DTSEN_MAX_BYTES.

    Its kind is judged by content later, by the reader (households/dtsen/reading.py).
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)})
        )
        # An empty file gets our message, which says what to do, not Django's.
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > settings.TKPK_DTSEN_MAX_BYTES:
            raise ValidationError(too_large_message(upload.size))
        if upload and upload.size == 0:
            raise ValidationError(empty_file_message())
        return upload


class DtsenUploadForm(forms.Form):
    file = TableFileField(
        label=_("DTSEN file"),
        help_text=_(
            ".xlsx (also .xls, .ods), or .csv/.txt separated by commas, semicolons, | or tabs."
        ),
    )
    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_("The DTSEN release this file comes from, e.g. 2025-Q3."),
    )
    sheet = forms.CharField(
        label=_("Sheet"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to read the first sheet of a workbook."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = current_period()

    def clean_period(self) -> str:
        return validate_period(self.cleaned_data["period"])
