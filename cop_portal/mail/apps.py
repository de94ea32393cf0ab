import sys
import threading

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Commands that run a worker: a moment after one starts, it makes sure the periodic
# round is going (cop_portal.mail.beat).
WORKER_COMMANDS = frozenset({"db_worker", "rqworker"})


class MailConfig(AppConfig):
    """Outgoing mail: preferences, the outbox and its worker tasks, the send limits."""

    name = "cop_portal.mail"
    label = "mail"
    verbose_name = _("Outgoing mail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cop_portal.mail import checks  # noqa: F401 - registers the settings checks

        if len(sys.argv) > 1 and sys.argv[1] in WORKER_COMMANDS:
            from cop_portal.mail.tasks import start_rounds_when_worker_starts

            timer = threading.Timer(2.0, start_rounds_when_worker_starts)
            timer.daemon = True
            timer.start()
