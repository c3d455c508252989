from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from tkpk.documents import KeepsDocuments
from tkpk.models import Agency, Role, User
from tkpk.validators import FIRST_YEAR, LAST_YEAR

# A date typed in the browser's date picker, sent the way Django reads it back.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def year_field(label=None, **kwargs) -> forms.IntegerField:
    """An optional year of a filter form, within the years the application knows."""
    return forms.IntegerField(
        label=label or _("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        **kwargs,
    )


def refusal_show(form: forms.BaseForm, error: forms.ValidationError) -> None:
    """Show a service's refusal of a valid form: on the field it names, else above the form;
    documents the form carried stay chosen for the next try."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
    if isinstance(form, KeepsDocuments):
        form.keep_documents()


class ReviewForm(forms.Form):
    """The secretariat's review: verify, or return with a comment (the services insist on
    one). For realisations, action plans and quarterly reports alike."""

    VERIFY, RETURN = "verify", "return"

    decision = forms.ChoiceField(
        choices=[(VERIFY, _("Verify")), (RETURN, _("Return"))], widget=forms.HiddenInput
    )
    # The version the reviewer read: a correction sent since is not verified unseen.
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to return it: say what must be corrected."),
    )

    @property
    def verified(self) -> bool:
        return self.cleaned_data["decision"] == self.VERIFY


class UserForm(forms.ModelForm):
    """Create or edit a user from the secretariat's user-management page."""

    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "name", "email", "role", "agency", "partner", "is_active"]

    def __init__(self, *args, editor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        # Inactive agencies and partners take no new operators, but an existing one stays
        # editable.
        self.fields["agency"].queryset = Agency.objects.active() | Agency.objects.filter(
            pk=self.instance.agency_id
        )
        self.fields["partner"].queryset = Partner.objects.active() | Partner.objects.filter(
            pk=self.instance.partner_id
        )
        if editor.role != Role.ADMIN:
            # Only administrators hand out administrator rights.
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMIN]
        if self.instance.pk is None:
            self.fields["password"].required = True
            self.fields[
                "password"
            ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict:
        cleaned = super().clean()
        role, agency = cleaned.get("role"), cleaned.get("agency")
        if role == Role.AGENCY and agency is None:
            self.add_error("agency", _("Choose the agency this operator works for."))
        elif role and role != Role.AGENCY and agency is not None:
            self.add_error("agency", _("Only agency operators belong to an agency."))
        partner = cleaned.get("partner")
        if role == Role.PARTNER and partner is None:
            self.add_error("partner", _("Choose the partner this operator works for."))
        elif role and role != Role.PARTNER and partner is not None:
            self.add_error("partner", _("Only partner operators belong to a partner."))
        password = cleaned.get("password")
        if password:
            # The password is checked against what the user will be called once saved.
            candidate = self.instance
            for field in ("username", "name", "email"):
                setattr(candidate, field, cleaned.get(field, getattr(candidate, field)))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """The sign-in form, with a failure message that reads well in Indonesian.

    Django's message puts the username field's label into a sentence that already names
    it in Indonesian: "Masukkan nama pengguna nama pengguna dan sandi yang benar."
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Note that both are case-sensitive."),
    }
