from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from households.dtsen.forms import ACCEPTED_SUFFIXES
from households.dtsen.reading import empty_file_message, too_large_message


class EnrollmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of NIKs"),
        help_text=_(
            "A column NIK, one person per row; optionally a column Alasan Pengecualian with "
            "the reason to enrol someone the rules would refuse. .xlsx (also .xls, .ods), or "
            ".csv/.txt."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.TKPK_DTSEN_MAX_BYTES:
            raise ValidationError(too_large_message(upload.size))
        if upload.size == 0:
            raise ValidationError(empty_file_message())
        return upload
