from django.apps import AppConfig


class PracticeLibraryConfig(AppConfig):
    name = "practice_library"
    verbose_name = "Practice library"

    def ready(self) -> None:
        # Registers the library's email renderers and fan-out with the outbox, and its
        # part of each session's page (sessions_app.contributions).
        from practice_library import notifications, session_page  # noqa: F401
