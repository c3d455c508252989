from django import forms
from django.utils.translation import gettext_lazy as _

from households.dtsen.forms import TableFileField


class EnrollmentUploadForm(forms.Form):
    file = TableFileField(
        label=_("File of NIKs"),
        help_text=_(
            "A column NIK, one person per row; optionally a column Alasan Pengecualian with "
            "the reason to enrol someone the rules would refuse. .xlsx (also .xls, .ods), or "
            ".csv/.txt."
        ),
    )
