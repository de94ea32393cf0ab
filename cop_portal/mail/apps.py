from django.apps import AppConfig


class MailConfig(AppConfig):
    """Outgoing mail: the send counters behind the rate limits."""

    name = "cop_portal.mail"
    label = "mail"
    verbose_name = "Outgoing mail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cop_portal.mail import checks  # noqa: F401 - registers the settings check
