from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm

from pathways.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    """Email and password. Django's form, with the words people expect."""

    username = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask your organisation's manager for help.",
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            # Attach the failure to the email field so the error summary links somewhere useful.
            self.add_error("username", error)
            return self.cleaned_data


class ActingForForm(GovukFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(
        label="Which organisation are you working for now?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation you are working for now",
            "invalid_choice": "Select one of your organisations",
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, str(o)) for o in organisations]


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass
