from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeLibraryConfig(AppConfig):
    name = "practice_library"
    verbose_name = _("Practice library")

    def ready(self) -> None:
        from cop_portal.mail import beat
        from practice_library import notifications, session_page  # noqa: F401

        # notifications registers the library's email renderers and fan-out with the
        # outbox; session_page its part of each session's page (sessions_app.contributions).
        # The organizers' email about new reports goes out from the worker's periodic
        # round, at most hourly.
        beat.every_round(notifications.queue_reports_digest)
