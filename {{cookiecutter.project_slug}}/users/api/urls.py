from django.urls import path

from . import accounts, confirmations, me, views

app_name = "api"

urlpatterns = [
    path("api-token-auth/", views.ObtainTokenView.as_view(), name="obtain-token"),
    path("api-token-auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("api/example/", views.ExampleView.as_view(), name="example"),
    # The account flows. Emailed links point at the front end (FRONTEND_URL), whose
    # pages send the link's uid and token to the confirming endpoints here.
    path("api/accounts/signup/", accounts.SignupView.as_view(), name="signup"),
    path(
        "api/accounts/verify-email/",
        confirmations.VerifyEmailView.as_view(),
        name="verify-email",
    ),
    path(
        "api/accounts/verify-email/resend/",
        accounts.ResendVerificationView.as_view(),
        name="resend-verification",
    ),
    path(
        "api/accounts/password/reset/",
        accounts.RequestPasswordResetView.as_view(),
        name="request-password-reset",
    ),
    path(
        "api/accounts/password/reset/confirm/",
        confirmations.ConfirmPasswordResetView.as_view(),
        name="confirm-password-reset",
    ),
    path("api/accounts/me/", me.MeView.as_view(), name="me"),
    path(
        "api/accounts/password/change/",
        me.ChangePasswordView.as_view(),
        name="change-password",
    ),
    path(
        "api/accounts/email/change/", me.ChangeEmailView.as_view(), name="change-email"
    ),
    path(
        "api/accounts/email/change/confirm/",
        confirmations.ConfirmEmailChangeView.as_view(),
        name="confirm-email-change",
    ),
]
