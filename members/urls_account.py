"""The member's own pages under /me/: home, welcome, account settings, data download,
account deletion; and "Resend the email" while a sign-up waits for its confirmation."""

from django.urls import path

from members.views import account, dashboard

urlpatterns = [
    path("me/", dashboard.dashboard, name="dashboard"),
    path("me/replies-seen/", dashboard.replies_seen, name="replies-seen"),
    path("me/welcome/", account.welcome, name="welcome"),
    path("me/account/", account.account_settings, name="account"),
    path("accounts/resend-confirmation/", account.verification_resend, name="verification-resend"),
    path("me/export.json", account.export, name="export"),
    path("me/delete/", account.delete, name="delete"),
]
