"""The member's own pages under /me/: dashboard, data download, account deletion."""

from django.urls import path

from members.views import account, dashboard

urlpatterns = [
    path("me/", dashboard.dashboard, name="dashboard"),
    path("me/replies-seen/", dashboard.replies_seen, name="replies-seen"),
    path("me/export.json", account.export, name="export"),
    path("me/delete/", account.delete, name="delete"),
]
