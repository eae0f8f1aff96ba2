from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import PasswordResetForm, SetPasswordForm, SignInForm

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="web/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="sign-in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("acting-for/", views.acting_for, name="acting-for"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="web/password_reset.html",
            form_class=PasswordResetForm,
            email_template_name="web/email/password_reset.txt",
            subject_template_name="web/email/password_reset_subject.txt",
            success_url=reverse_lazy("web:password-reset-sent"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/password_reset_confirm.html",
            form_class=SetPasswordForm,
            success_url=reverse_lazy("web:password-reset-complete")
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/password_reset_complete.html"),
        name="password-reset-complete",
    ),
    path("accessibility/", views.page, {"template": "web/accessibility.html"}, name="accessibility"),
    path("cookies/", views.page, {"template": "web/cookies.html"}, name="cookies"),
    path("privacy/", views.page, {"template": "web/privacy.html"}, name="privacy"),
]
