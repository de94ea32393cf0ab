from django.urls import path

from cop_portal.mail import views

app_name = "mail"

urlpatterns = [
    path("organize/emails/", views.outbox_page, name="outbox"),
    path("organize/emails/retry/", views.retry, name="retry"),
]
