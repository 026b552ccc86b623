from django.urls import include, path

from . import accounts, confirmations, me, views

app_name = "api"

# The account flows. Emailed links point at the front end (FRONTEND_URL), whose pages
# send the link's uid and token to the confirming endpoints here.
account_urlpatterns = [
    path("signup/", accounts.SignupView.as_view(), name="signup"),
    path("verify-email/", confirmations.VerifyEmailView.as_view(), name="verify-email"),
    path(
        "verify-email/resend/",
        accounts.ResendVerificationView.as_view(),
        name="resend-verification",
    ),
    path(
        "password/reset/",
        accounts.RequestPasswordResetView.as_view(),
        name="request-password-reset",
    ),
    path(
        "password/reset/confirm/",
        confirmations.ConfirmPasswordResetView.as_view(),
        name="confirm-password-reset",
    ),
    path("me/", me.MeView.as_view(), name="me"),
    path("password/change/", me.ChangePasswordView.as_view(), name="change-password"),
    path("email/change/", me.ChangeEmailView.as_view(), name="change-email"),
    path(
        "email/change/confirm/",
        confirmations.ConfirmEmailChangeView.as_view(),
        name="confirm-email-change",
    ),
]

urlpatterns = [
    path("api-token-auth/", views.ObtainTokenView.as_view(), name="obtain-token"),
    path("api-token-auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("api/example/", views.ExampleView.as_view(), name="example"),
    path("api/accounts/", include(account_urlpatterns)),
]
