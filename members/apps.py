from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        # signals connects the receivers; account_mail registers the renderer of
        # allauth's emails with the outbox.
        from members import account_mail, signals  # noqa: F401
