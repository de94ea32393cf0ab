from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Sessions"

    def ready(self) -> None:
        from cop_portal.mail import beat
        from sessions_app import (  # noqa: F401
            announcements,
            attendee_messages,
            notifications,
            signals,
        )

        # signals connects the receivers; notifications, announcements and attendee_messages
        # register their email renderers and fan-outs with the outbox. Reminders are queued by the
        # worker's periodic round (or by `manage.py send_reminders` from cron).
        beat.every_round(notifications.queue_reminders)
        # The statistics' people of the month just over are stored once it is over.
        from sessions_app.services.counts import last_month_store

        beat.every_round(last_month_store)
